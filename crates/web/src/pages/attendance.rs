//! `/meetings/{id}/attendance`: after the day, who came. Every attendee's
//! status in one form (invited → attended or absent, row by row, or all
//! invited and confirmed as attended with one button), saved in one edit
//! under the meeting's version ([`Store::record_attendance`]).

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path};
use poem::{Response, handler};
use samverkan_domain::{
    AttendanceId, AttendanceStatus, Attendee, MeetingId, MeetingRecords, Names, Permission, text,
};
use samverkan_report::Translated;
use samverkan_store::{Store, StoreError};
use uuid::Uuid;

use crate::forms::{ErrorSummary, FieldErrors};
use crate::frame::{Ctx, PageError, Section, render};
use crate::pages::meeting_form::live_meeting;
use crate::session::see_other;

/// One attendee's row: the attendance, whom it is of, the status chosen.
struct Row {
    attendance: AttendanceId,
    /// The person's name and organisation, or the organisation alone.
    label: String,
    status: String,
    /// What is saved now, where it differs from the status chosen (shown
    /// after an edit conflict).
    saved: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "meetings/attendance.html")]
struct AttendancePage {
    ctx: Ctx,
    meeting_id: String,
    title: String,
    version: i32,
    rows: Vec<Row>,
    statuses: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
    /// Someone else saved the meeting while this form was open.
    conflict: bool,
}

impl AttendancePage {
    fn new(ctx: &Ctx, records: &MeetingRecords, names: &Names) -> Self {
        let mut rows: Vec<(String, Row)> = records
            .attendances
            .iter()
            .map(|attendance| {
                let organisation = names.organisation(attendance.organisation_id);
                let label = match attendance.attendee {
                    Attendee::Representative(id) => format!("{}, {organisation}", names.representative(id)),
                    Attendee::Organisation(_) => {
                        format!("{organisation} {}", ctx.t.organisation_without_named_people)
                    }
                };
                let row = Row {
                    attendance: attendance.id,
                    label,
                    status: attendance.status.as_str().to_owned(),
                    saved: None,
                };
                (text::sort_key(&row.label), row)
            })
            .collect();
        // In Swedish order, as the meeting's page lists them.
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        Self {
            ctx: ctx.at(Section::Meetings),
            meeting_id: records.meeting.id.to_string(),
            title: records.meeting.details.title.clone(),
            version: records.meeting.meta.version,
            rows: rows.into_iter().map(|(_, row)| row).collect(),
            statuses: AttendanceStatus::ALL
                .iter()
                .map(|status| (status.as_str(), status.label(ctx.lang)))
                .collect(),
            errors: FieldErrors::default(),
            conflict: false,
        }
    }

    fn summary(&self) -> ErrorSummary<'_> {
        // The conflict is the form's as a whole: linked to its first field.
        let conflict = self
            .conflict
            .then_some(("attendees[0].status", self.ctx.t.attendance_saved_by_someone_else));
        // Each problem led by its row's name, in the page's order.
        let row_of = |id: &str| {
            id.strip_prefix("attendees-")
                .and_then(|rest| rest.split('-').next())
                .and_then(|i| i.parse::<usize>().ok())
        };
        ErrorSummary::new(&self.errors, conflict).of_rows(row_of, |id| {
            self.errors
                .get(id)
                .and(row_of(id))
                .and_then(|i| self.rows.get(i))
                .map(|row| row.label.clone())
        })
    }

    fn field(&self, index: &usize) -> String {
        field(*index)
    }
}

/// The id and name of row `index`'s select.
fn field(index: usize) -> String {
    format!("attendees-{index}-status")
}

/// `GET /meetings/{id}/attendance`.
#[handler]
pub async fn form(ctx: Data<&Ctx>, store: Data<&Store>, Path(id): Path<Uuid>) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let (records, names) = live_meeting(&store, MeetingId::from(id)).await?;
    Ok(render(
        &AttendancePage::new(&ctx, &records, &names),
        StatusCode::OK,
    ))
}

/// `POST /meetings/{id}/attendance`: `attendees-{i}-id` and
/// `attendees-{i}-status` per row; `action=all-attended` marks everyone
/// invited or confirmed as attended before saving.
#[handler]
pub async fn save(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> poem::Result<Response> {
    ctx.require(Permission::WriteRecords)?;
    let (records, names) = live_meeting(&store, MeetingId::from(id)).await?;
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
    };
    let read_at: i32 = value("version")
        .and_then(|version| version.parse().ok())
        .ok_or(PageError::BadRequest)?;
    let all_attended = value("action") == Some("all-attended");
    // The rows as sent, by index: the attendance and the status chosen.
    let mut sent: Vec<(usize, AttendanceId, String)> = Vec::new();
    for (index, _) in records.attendances.iter().enumerate() {
        let Some(attendance) = value(&format!("attendees-{index}-id"))
            .and_then(|raw| Uuid::parse_str(raw).ok())
            .map(AttendanceId::from)
        else {
            continue;
        };
        let mut status = value(&field(index)).unwrap_or_default().to_owned();
        if all_attended && matches!(status.as_str(), "invited" | "confirmed") {
            "attended".clone_into(&mut status);
        }
        sent.push((index, attendance, status));
    }
    // The form's row `i` is the page's: the same meeting, in the same order.
    let mut page = AttendancePage::new(&ctx, &records, &names);
    // What was chosen stays chosen, whatever happens next; what is saved
    // now is kept beside it, for a conflict.
    for row in &mut page.rows {
        if let Some((_, _, status)) = sent.iter().find(|(_, id, _)| *id == row.attendance) {
            if *status != row.status {
                row.saved = AttendanceStatus::parse("status", &row.status)
                    .ok()
                    .map(|saved| saved.label(ctx.lang));
            }
            row.status.clone_from(status);
        }
    }
    let mut statuses = Vec::new();
    let mut errors = FieldErrors::default();
    for (index, attendance, status) in &sent {
        match AttendanceStatus::parse("status", status) {
            Ok(status) => statuses.push((*attendance, status, *index)),
            Err(_) => errors.add(&field(*index), ctx.t.choose_from_list),
        }
    }
    if errors.is_empty() {
        let changes = statuses.iter().map(|(id, status, _)| (*id, *status)).collect();
        match ctx
            .store(&store)
            .record_attendance(records.meeting.id, read_at, changes)
            .await
        {
            Ok(_) => {
                return Ok(see_other(&format!(
                    "/meetings/{}?done=attendance",
                    records.meeting.id
                )));
            }
            Err(StoreError::VersionConflict { .. }) => {
                page.conflict = true;
                return Ok(render(&page, StatusCode::CONFLICT));
            }
            Err(StoreError::Validation(refused)) => {
                for error in refused.errors() {
                    // `attendees[i].status`: i is the index in `changes`.
                    let index = error
                        .field
                        .strip_prefix("attendees[")
                        .and_then(|rest| rest.split(']').next())
                        .and_then(|i| i.parse::<usize>().ok())
                        .and_then(|i| statuses.get(i))
                        .map_or(0, |(_, _, index)| *index);
                    errors.add(&field(index), ctx.t.presenter_cannot_be_absent);
                }
            }
            Err(error) => return Err(PageError::Store(error).into()),
        }
    }
    page.errors = errors;
    Ok(render(&page, StatusCode::BAD_REQUEST))
}
