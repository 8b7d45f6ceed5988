//! `/meetings`: the list (period, organisation, person, kind, tag, text),
//! a meeting's page — everything its minutes hold — and the minutes as HTML
//! and Markdown downloads.

use std::collections::BTreeMap;

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Path, Query};
use poem::{Response, handler};
use samverkan_domain::{
    AgendaItem, AttendanceRole, AttendanceStatus, Attendee, FollowUp, Meeting, MeetingId, MeetingKind,
    MeetingRecords, Names, OrganisationId, Outcome, Permission, RepresentativeId, text,
};
use samverkan_report::{Format, Translated};
use samverkan_store::{MeetingFilter, Store};
use serde::Deserialize;
use uuid::Uuid;

use crate::downloads;
use crate::forms::FieldErrors;
use crate::frame::{Ctx, PageError, Section, render};
use crate::history::{self, HistoryEntry};
use crate::pages::day_filter;
use crate::paging::{ListAddress, PageQuery, Pager};

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    organisation: Option<Uuid>,
    #[serde(default)]
    person: Option<Uuid>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    tag: Option<String>,
    #[serde(default)]
    q: Option<String>,
    #[serde(flatten)]
    page: PageQuery,
}

#[derive(Template)]
#[template(path = "meetings/list.html")]
struct ListPage {
    ctx: Ctx,
    query: ListQuery,
    /// Whose meetings, when the list is narrowed to an organisation or a
    /// person (by a link from their page).
    narrowed_to: Option<String>,
    kinds: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
    meetings: Vec<Meeting>,
    pager: Pager,
}

impl ListPage {
    fn kind_label(&self, meeting: &Meeting) -> &'static str {
        meeting.details.kind.label(self.ctx.lang)
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or_default()
    }

    /// The two day fields: id, label, the value as typed.
    fn day_fields(&self) -> [(&'static str, &'static str, &str); 2] {
        [
            ("from", self.ctx.t.from_day, self.text(&self.query.from)),
            ("to", self.ctx.t.to_day, self.text(&self.query.to)),
        ]
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
    let from = day_filter(query.from.as_deref(), "from", &mut errors, t.enter_a_date);
    let to = day_filter(query.to.as_deref(), "to", &mut errors, t.enter_a_date);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        errors.add("to", t.to_before_from);
    }
    let kind = match query.kind.as_deref().filter(|kind| !kind.is_empty()) {
        Some(raw) => MeetingKind::parse("kind", raw)
            .map_err(|_| errors.add("kind", t.choose_from_list))
            .ok(),
        None => None,
    };
    let organisation_id = query.organisation.map(OrganisationId::from);
    let representative_id = query.person.map(RepresentativeId::from);
    let names = store
        .names(organisation_id.as_slice(), representative_id.as_slice())
        .await
        .map_err(PageError::Store)?;
    let narrowed_to = organisation_id
        .map(|id| names.organisation(id))
        .or_else(|| representative_id.map(|id| names.representative(id)));
    let filter = MeetingFilter {
        from,
        to,
        organisation_id,
        representative_id,
        kind,
        tag: query.tag.clone().filter(|tag| !tag.trim().is_empty()),
        q: query.q.clone(),
        ..MeetingFilter::default()
    };
    let address = ListAddress::new("/meetings")
        .with("from", query.from.as_deref())
        .with("to", query.to.as_deref())
        .with("organisation", query.organisation)
        .with("person", query.person)
        .with("kind", query.kind.as_deref())
        .with("tag", query.tag.as_deref())
        .with("q", query.q.as_deref());
    let (meetings, pager, status) = if errors.is_empty() {
        let found = store
            .list_meetings(&filter, &query.page.request()?)
            .await
            .map_err(PageError::Store)?;
        let pager = Pager::new(&address, &found);
        (found.items, pager, StatusCode::OK)
    } else {
        (Vec::new(), Pager::default(), StatusCode::BAD_REQUEST)
    };
    Ok(render(
        &ListPage {
            ctx: ctx.at(Section::Meetings),
            query,
            narrowed_to,
            kinds: MeetingKind::ALL
                .iter()
                .map(|kind| (kind.as_str(), kind.label(ctx.lang)))
                .collect(),
            errors,
            meetings,
            pager,
        },
        status,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    /// What was just done to it (after a form's redirect).
    #[serde(default)]
    done: Option<String>,
}

/// A person at a meeting, as the page lists them.
#[derive(Debug)]
pub struct PersonEntry {
    /// `None` for an organisation attending without named people.
    pub id: Option<RepresentativeId>,
    pub name: String,
    /// The role, where it is not plain participant.
    pub role: Option<&'static str>,
}

/// One organisation's attendees, in the minutes' three groups.
#[derive(Debug)]
pub struct OrganisationAttendees {
    pub id: OrganisationId,
    pub name: String,
    pub attended: Vec<PersonEntry>,
    pub unconfirmed: Vec<PersonEntry>,
    pub absent: Vec<PersonEntry>,
}

#[derive(Template)]
#[template(path = "meetings/page.html")]
struct MeetingPage {
    ctx: Ctx,
    records: MeetingRecords,
    names: Names,
    attendees: Vec<OrganisationAttendees>,
    history: Vec<HistoryEntry>,
    /// What was just done (after the meeting form's redirect).
    notice: Option<&'static str>,
}

impl MeetingPage {
    fn meeting(&self) -> &Meeting {
        &self.records.meeting
    }

    fn kind_label(&self) -> &'static str {
        self.records.meeting.details.kind.label(self.ctx.lang)
    }

    fn status_label(&self) -> &'static str {
        self.records.meeting.details.status.label(self.ctx.lang)
    }

    fn organisation(&self, id: &OrganisationId) -> String {
        self.names.organisation(*id)
    }

    fn person(&self, id: &RepresentativeId) -> String {
        self.names.representative(*id)
    }

    fn outcome_kind(&self, outcome: &Outcome) -> &'static str {
        outcome.kind.label(self.ctx.lang)
    }

    /// The agenda item an outcome came from.
    fn outcome_item(&self, outcome: &Outcome) -> Option<&AgendaItem> {
        let id = outcome.agenda_item_id?;
        self.records.agenda.iter().find(|item| item.id == id)
    }

    fn follow_up_status(&self, follow_up: &FollowUp) -> &'static str {
        follow_up.details.status.label(self.ctx.lang)
    }

    fn is_overdue(&self, follow_up: &FollowUp) -> bool {
        follow_up.is_overdue(samverkan_domain::time::today())
    }

    /// Whether the reader may change the meeting (a live one).
    fn may_edit(&self) -> bool {
        self.ctx.may(Permission::WriteRecords) && self.records.meeting.meta.archived_at.is_none()
    }

    fn minutes_href(&self, format: &str) -> String {
        format!("/meetings/{}/minutes.{format}", self.records.meeting.id)
    }
}

/// The attendees grouped as the minutes group them: by organisation in
/// Swedish order, people in Swedish order within each group.
fn group_attendees(records: &MeetingRecords, names: &Names, ctx: &Ctx) -> Vec<OrganisationAttendees> {
    let mut by_organisation: BTreeMap<(String, OrganisationId), OrganisationAttendees> = BTreeMap::new();
    for attendance in &records.attendances {
        let name = names.organisation(attendance.organisation_id);
        let group = by_organisation
            .entry((text::sort_key(&name), attendance.organisation_id))
            .or_insert_with(|| OrganisationAttendees {
                id: attendance.organisation_id,
                name,
                attended: Vec::new(),
                unconfirmed: Vec::new(),
                absent: Vec::new(),
            });
        let entry = PersonEntry {
            id: match attendance.attendee {
                Attendee::Representative(id) => Some(id),
                Attendee::Organisation(_) => None,
            },
            name: match attendance.attendee {
                Attendee::Representative(id) => names.representative(id),
                Attendee::Organisation(_) => ctx.t.organisation_without_named_people.to_owned(),
            },
            role: (attendance.role != AttendanceRole::Participant).then(|| attendance.role.label(ctx.lang)),
        };
        match attendance.status {
            AttendanceStatus::Attended => group.attended.push(entry),
            AttendanceStatus::Invited | AttendanceStatus::Confirmed => group.unconfirmed.push(entry),
            AttendanceStatus::Absent => group.absent.push(entry),
        }
    }
    let mut groups: Vec<OrganisationAttendees> = by_organisation.into_values().collect();
    for group in &mut groups {
        for people in [&mut group.attended, &mut group.unconfirmed, &mut group.absent] {
            people.sort_by_key(|person| text::sort_key(&person.name));
        }
    }
    groups
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
        Some("logged") => Some(ctx.t.meeting_logged),
        Some("saved") => Some(ctx.t.changes_saved),
        Some("attendance") => Some(ctx.t.attendance_saved),
        _ => None,
    };
    let (records, names) = store
        .meeting_with_names(MeetingId::from(id))
        .await
        .map_err(PageError::Store)?;
    let attendees = group_attendees(&records, &names, &ctx);
    let history = history::of(&store, id, 20).await?;
    Ok(render(
        &MeetingPage {
            ctx: ctx.at(Section::Meetings),
            records,
            names,
            attendees,
            history,
            notice,
        },
        StatusCode::OK,
    ))
}

/// `/meetings/{id}/minutes.html` and `.md`: the minutes in the reader's
/// language (read under the API's permission for them, `ReadReports`).
#[handler]
pub async fn minutes_download(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path((id, extension)): Path<(Uuid, String)>,
) -> poem::Result<Response> {
    ctx.require(Permission::ReadReports)?;
    let format = match extension.as_str() {
        "html" => Format::Html,
        "md" => Format::Md,
        "pdf" => Format::Pdf,
        _ => return Err(PageError::NotFound.into()),
    };
    let (records, names) = store
        .meeting_with_names(MeetingId::from(id))
        .await
        .map_err(PageError::Store)?;
    let lang = ctx.lang;
    let stem = samverkan_report::minutes::file_stem(&records, lang);
    Ok(downloads::document(
        move || samverkan_report::minutes::minutes(&records, &names, lang),
        format,
        &stem,
    )
    .await?)
}
