//! `/partnerships`: the list (status, organisation, archived) and a
//! partnership's page: its two organisations, kind, status, dates, the
//! person responsible, its goals and its history.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{Response, handler};
use samverkan_domain::{
    Names, OrganisationId, Partnership, PartnershipId, PartnershipStatus, Permission, RepresentativeId,
};
use samverkan_report::Translated;
use samverkan_store::{PartnershipFilter, Store};
use serde::Deserialize;
use uuid::Uuid;

use crate::forms::FieldErrors;
use crate::frame::{Ctx, PageError, Section, render};
use crate::history::{self, HistoryEntry};
use crate::pages::{organisation_filter, organisation_names};
use crate::paging::{ListAddress, PageQuery, Pager, page_unless};

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    organisation: Option<String>,
    #[serde(default)]
    archived: Option<String>,
    #[serde(flatten)]
    page: PageQuery,
}

#[derive(Template)]
#[template(path = "partnerships/list.html")]
struct ListPage {
    ctx: Ctx,
    status: String,
    organisation: String,
    archived: bool,
    statuses: Vec<(&'static str, &'static str)>,
    /// The organisation filter's suggestions without the script.
    organisation_names: Vec<String>,
    errors: FieldErrors,
    partnerships: Vec<Partnership>,
    names: Names,
    pager: Pager,
}

impl ListPage {
    fn organisation_name(&self, id: &OrganisationId) -> String {
        self.names.organisation(*id)
    }

    fn kind_label(&self, partnership: &Partnership) -> &'static str {
        partnership.details.kind.label(self.ctx.lang)
    }

    fn status_label(&self, partnership: &Partnership) -> &'static str {
        partnership.details.status.label(self.ctx.lang)
    }
}

#[handler]
pub async fn list(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Query(query): Query<ListQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::ReadRecords)?;
    let t = ctx.t;
    let mut errors = FieldErrors::default();
    let status = match query.status.as_deref().filter(|status| !status.is_empty()) {
        Some(raw) => match PartnershipStatus::parse("status", raw) {
            Ok(status) => Some(status),
            Err(_) => {
                errors.add("status", t.choose_from_list);
                None
            }
        },
        None => None,
    };
    let (organisation_id, organisation) = organisation_filter(
        &store,
        query.organisation.as_deref(),
        "organisation",
        &mut errors,
        ctx.t,
    )
    .await?;
    let organisation_names = organisation_names(&store).await?;
    let archived = query.archived.is_some();
    let filter = PartnershipFilter {
        organisation_id,
        status,
        include_archived: archived,
    };
    let address = ListAddress::new("/partnerships")
        .with("status", query.status.as_deref())
        .with("organisation", query.organisation.as_deref())
        .with("archived", archived.then_some("1"));
    let request = query.page.request()?;
    let (partnerships, pager) =
        page_unless(&errors, &address, || store.list_partnerships(&filter, &request)).await?;
    let organisation_ids: Vec<OrganisationId> = partnerships
        .iter()
        .flat_map(|partnership| partnership.details.organisation_ids)
        .collect();
    let names = store
        .names(&organisation_ids, &[])
        .await
        .map_err(PageError::Store)?;
    let status_code = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(render(
        &ListPage {
            ctx: ctx.at(Section::Partnerships),
            status: query.status.unwrap_or_default(),
            organisation,
            archived,
            statuses: PartnershipStatus::ALL
                .iter()
                .map(|status| (status.as_str(), status.label(ctx.lang)))
                .collect(),
            organisation_names,
            errors,
            partnerships,
            names,
            pager,
        },
        status_code,
    ))
}

#[derive(Template)]
#[template(path = "partnerships/page.html")]
struct PartnershipPage {
    ctx: Ctx,
    partnership: Partnership,
    names: Names,
    history: Vec<HistoryEntry>,
    /// What was just done to it (after a form's redirect).
    notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

impl PartnershipPage {
    fn organisation_name(&self, id: &OrganisationId) -> String {
        self.names.organisation(*id)
    }

    fn person_name(&self, id: &RepresentativeId) -> String {
        self.names.representative(*id)
    }

    fn kind_label(&self) -> &'static str {
        self.partnership.details.kind.label(self.ctx.lang)
    }

    fn status_label(&self) -> &'static str {
        self.partnership.details.status.label(self.ctx.lang)
    }

    /// "Högskolan Väst – Fyrbodal": the page's heading.
    fn heading(&self) -> String {
        let [a, b] = self.partnership.details.organisation_ids;
        format!("{} – {}", self.names.organisation(a), self.names.organisation(b))
    }
}

#[handler]
pub async fn show(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Query(query): Query<ShowQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::ReadRecords)?;
    let notice = match query.done.as_deref() {
        Some("created") => Some(ctx.t.partnership_added),
        Some("saved") => Some(ctx.t.changes_saved),
        Some("archived") => Some(ctx.t.partnership_archived),
        _ => None,
    };
    let partnership = store
        .partnership(PartnershipId::from(id))
        .await
        .map_err(PageError::Store)?;
    let names = store
        .names(
            &partnership.details.organisation_ids,
            &partnership
                .details
                .responsible_representative_id
                .into_iter()
                .collect::<Vec<_>>(),
        )
        .await
        .map_err(PageError::Store)?;
    let history = history::of(&store, id, 20).await?;
    Ok(render(
        &PartnershipPage {
            ctx: ctx.at(Section::Partnerships),
            partnership,
            names,
            history,
            notice,
        },
        StatusCode::OK,
    ))
}
