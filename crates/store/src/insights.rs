//! Read models that cut across records: an organisation's timeline, who
//! attended most for it, what a person presented, and one ranked search
//! over everything.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Query, UnionType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use samverkan_domain::{AgendaItemId, MeetingId, MeetingStatus, OrganisationId, RepresentativeId, text};

use crate::Store;
use crate::entity::{
    affiliations, agenda_item_presenters, agenda_items, attendances, engagement_people, follow_ups, meetings,
    organisations, outcomes, partnerships, representatives,
};
use crate::error::{StoreError, StoreResult};
use crate::page::{Cursor, Page, PageRequest};
use crate::support::{Db, folded_contains, folded_starts_with, keyset_after};

/// What a timeline entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineKind {
    /// A meeting the organisation hosted or attended (or was invited to).
    Meeting,
    /// A follow-up the organisation answers for, at its creation.
    FollowUp,
    /// A partnership the organisation is a party to, at its creation.
    Partnership,
}

/// One thing that happened with an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub kind: TimelineKind,
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub title: String,
    /// The organisation's part: `host`, an attendance status, a follow-up or
    /// partnership status.
    pub detail: String,
}

/// A meeting of a timeline as read: id, start, title, host, and the
/// organisation's best attendance status (0 attended, 1 confirmed, 2
/// invited).
type TimelineMeeting = (Uuid, DateTime<Utc>, String, Option<Uuid>, Option<i32>);

/// An agenda item a person presents, with its meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presentation {
    pub meeting_id: MeetingId,
    pub meeting_title: String,
    pub starts_at: DateTime<Utc>,
    pub agenda_item_id: AgendaItemId,
    pub agenda_item_title: String,
}

/// Where the partner brief reads it; named here too, as before it moved.
pub use samverkan_domain::TopAttendee;

/// What a search hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HitKind {
    Organisation,
    Representative,
    Meeting,
    AgendaItem,
    Outcome,
    FollowUp,
}

/// One search hit.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub kind: HitKind,
    pub id: Uuid,
    pub title: String,
    /// The text around the match, from the field that matched.
    pub snippet: String,
    /// Higher is better: an exact name beats a prefix, a prefix a word start,
    /// a word start a match inside a word, the title any other field.
    pub score: u32,
    /// The meeting an agenda item, outcome or follow-up belongs to.
    pub meeting_id: Option<Uuid>,
}

/// The name on the timeline's cursors.
const TIMELINE_SCOPE: &str = "timeline";

/// How many rows each kind contributes before ranking.
const CANDIDATES_PER_KIND: u64 = 100;

impl Store {
    /// What happened with an organisation, newest first: meetings it hosted
    /// or attended (itself or through one of its people), follow-ups it
    /// answers for, partnerships it is a party to.
    pub async fn organisation_timeline(
        &self,
        organisation_id: OrganisationId,
        page: &PageRequest,
    ) -> StoreResult<Page<TimelineEntry>> {
        let org = organisation_id.as_uuid();
        let start = page.start(TIMELINE_SCOPE)?;
        let order = start.order(Order::Desc);
        let after = start
            .cursor
            .map(|cursor| cursor.instant().map(|at| (at, cursor.id)))
            .transpose()?;
        let take = page.limit + 1;
        let mut entries = Vec::new();

        // The page's meetings are chosen among the organisation's own: those
        // it hosted (`ix_meetings_host`) and those it attended, found from
        // its attendances (`ix_attendances_organisation`, which holds the
        // status) and each meeting's start and archival by id, so the work
        // grows with the organisation's meetings (about 150), not with
        // every meeting's. Walking all meetings by start until enough were
        // its own (the statement before) read thousands of index entries
        // for an organisation whose meetings are spread over the years.
        // Only the few kept are then read whole.
        let live = || Expr::col((meetings::Entity, meetings::Column::ArchivedAt)).is_null();
        let keyset = || {
            keyset_after(
                order.clone(),
                meetings::Column::StartsAt,
                meetings::Column::Id,
                after.as_ref(),
            )
        };
        let mut hosted = Query::select()
            .column((meetings::Entity, meetings::Column::Id))
            .column((meetings::Entity, meetings::Column::StartsAt))
            .from(meetings::Entity)
            .and_where(Expr::col((meetings::Entity, meetings::Column::HostOrganisationId)).eq(org))
            .and_where(live())
            .cond_where(keyset())
            .take();
        // Each meeting once, however many of its people came: the meetings
        // looked up by the distinct ids of the attendances (one look-up a
        // meeting), not joined to every attendance row (one a person),
        // which took half as long again for an organisation that sends
        // three people to a meeting.
        let attended_ids = Query::select()
            .column((attendances::Entity, attendances::Column::MeetingId))
            .from(attendances::Entity)
            .and_where(Expr::col((attendances::Entity, attendances::Column::OrganisationId)).eq(org))
            .and_where(Expr::col((attendances::Entity, attendances::Column::Status)).ne("absent"))
            .take();
        let attended = Query::select()
            .column((meetings::Entity, meetings::Column::Id))
            .column((meetings::Entity, meetings::Column::StartsAt))
            .from(meetings::Entity)
            .and_where(Expr::col((meetings::Entity, meetings::Column::Id)).in_subquery(attended_ids))
            .and_where(live())
            .cond_where(keyset())
            .take();
        let chosen = Alias::new("chosen");
        let page_ids = Query::select()
            .column((chosen.clone(), Alias::new("id")))
            .from_subquery(hosted.union(UnionType::Distinct, attended).take(), chosen.clone())
            .order_by((chosen.clone(), Alias::new("starts_at")), order.clone())
            .order_by((chosen, Alias::new("id")), order.clone())
            .limit(take)
            .take();
        // The best of the organisation's statuses at each meeting, in the
        // same statement: 0 attended, 1 confirmed, 2 invited (absent ones
        // never make a meeting part of the timeline).
        let best_status = Query::select()
            .expr(Expr::cust(
                r#"MIN(CASE "attendances"."status" WHEN 'attended' THEN 0 WHEN 'confirmed' THEN 1 ELSE 2 END)"#,
            ))
            .from(attendances::Entity)
            .and_where(Expr::col((attendances::Entity, attendances::Column::OrganisationId)).eq(org))
            .and_where(
                Expr::col((attendances::Entity, attendances::Column::MeetingId))
                    .equals((meetings::Entity, meetings::Column::Id)),
            )
            .and_where(Expr::col((attendances::Entity, attendances::Column::Status)).ne("absent"))
            .take();
        let meeting_rows: Vec<TimelineMeeting> = meetings::Entity::find()
            .select_only()
            .column(meetings::Column::Id)
            .column(meetings::Column::StartsAt)
            .column(meetings::Column::Title)
            .column(meetings::Column::HostOrganisationId)
            .expr(Expr::from(best_status))
            .filter(Expr::col((meetings::Entity, meetings::Column::Id)).in_subquery(page_ids))
            .order_by(meetings::Column::StartsAt, order.clone())
            .order_by(meetings::Column::Id, order.clone())
            .into_tuple()
            .all(&self.db)
            .await?;
        for (id, starts_at, title, host, best) in meeting_rows {
            let detail = if host == Some(org) {
                "host"
            } else {
                match best {
                    Some(1) => "confirmed",
                    Some(2) => "invited",
                    _ => "attended",
                }
            };
            entries.push(TimelineEntry {
                kind: TimelineKind::Meeting,
                id,
                occurred_at: starts_at,
                title,
                detail: detail.to_owned(),
            });
        }

        // The four columns an entry shows, not the wide rows (details,
        // search text) whose decoding cost more than their reading.
        let follow_up_rows: Vec<(Uuid, DateTime<Utc>, String, String)> = follow_ups::Entity::find()
            .select_only()
            .column(follow_ups::Column::Id)
            .column(follow_ups::Column::CreatedAt)
            .column(follow_ups::Column::Title)
            .column(follow_ups::Column::Status)
            .filter(follow_ups::Column::ArchivedAt.is_null())
            .filter(follow_ups::Column::OrganisationId.eq(org))
            .filter(keyset_after(
                order.clone(),
                follow_ups::Column::CreatedAt,
                follow_ups::Column::Id,
                after.as_ref(),
            ))
            .order_by(follow_ups::Column::CreatedAt, order.clone())
            .order_by(follow_ups::Column::Id, order.clone())
            .limit(take)
            .into_tuple()
            .all(&self.db)
            .await?;
        entries.extend(
            follow_up_rows
                .into_iter()
                .map(|(id, created_at, title, status)| TimelineEntry {
                    kind: TimelineKind::FollowUp,
                    id,
                    occurred_at: created_at,
                    title,
                    detail: status,
                }),
        );

        // Each with the other party's name, joined in the same statement.
        let party = |column| Expr::col((partnerships::Entity, column));
        let other = Expr::case(
            party(partnerships::Column::OrganisationAId).eq(org),
            party(partnerships::Column::OrganisationBId),
        )
        .finally(party(partnerships::Column::OrganisationAId));
        let partnership_rows = Query::select()
            .columns([
                (partnerships::Entity, partnerships::Column::Id),
                (partnerships::Entity, partnerships::Column::CreatedAt),
                (partnerships::Entity, partnerships::Column::Kind),
                (partnerships::Entity, partnerships::Column::Status),
                (partnerships::Entity, partnerships::Column::ArchivedAt),
            ])
            .expr_as(
                Expr::col((organisations::Entity, organisations::Column::Name)),
                Alias::new("partner_name"),
            )
            .from(partnerships::Entity)
            .join(
                JoinType::LeftJoin,
                organisations::Entity,
                Expr::col((organisations::Entity, organisations::Column::Id)).eq(other),
            )
            .cond_where(
                Condition::any()
                    .add(party(partnerships::Column::OrganisationAId).eq(org))
                    .add(party(partnerships::Column::OrganisationBId).eq(org)),
            )
            .cond_where(keyset_after(
                order.clone(),
                partnerships::Column::CreatedAt,
                partnerships::Column::Id,
                after.as_ref(),
            ))
            .order_by(
                (partnerships::Entity, partnerships::Column::CreatedAt),
                order.clone(),
            )
            .order_by((partnerships::Entity, partnerships::Column::Id), order.clone())
            .limit(take)
            .take();
        for row in self.db.query_all(&partnership_rows).await? {
            let kind: String = row.try_get("", "kind")?;
            let name: Option<String> = row.try_get("", "partner_name")?;
            let archived_at: Option<DateTime<Utc>> = row.try_get("", "archived_at")?;
            let detail = if archived_at.is_some() {
                "archived".to_owned()
            } else {
                row.try_get("", "status")?
            };
            entries.push(TimelineEntry {
                kind: TimelineKind::Partnership,
                id: row.try_get("", "id")?,
                occurred_at: row.try_get("", "created_at")?,
                title: format!("{kind} partnership with {}", name.as_deref().unwrap_or("?")),
                detail,
            });
        }
        // Every entry refers to the organisation, so only an empty timeline
        // needs asking whether there is one: a round trip saved on the
        // organisation's page, which has just read it.
        if entries.is_empty() {
            crate::organisations::find(&self.db, organisation_id).await?;
        }

        // Merged in the read order (newest first, or oldest first reading
        // backward), so that the rows nearest the cursor are the ones kept.
        entries.sort_by(|a, b| b.occurred_at.cmp(&a.occurred_at).then(b.id.cmp(&a.id)));
        if start.backward {
            entries.reverse();
        }
        entries.truncate(usize::try_from(take).unwrap_or(usize::MAX));
        let cursor_of =
            |entry: &TimelineEntry| Cursor::new(TIMELINE_SCOPE, entry.occurred_at.to_rfc3339(), entry.id);
        Page::from_rows(entries, page.limit, &start, cursor_of, Ok)
    }

    /// The organisation's people who attended most for it (the
    /// organisation they attended for, at the meeting's date), at most
    /// `limit`: most meetings first, then the latest last meeting. Counted
    /// meetings only (live, not cancelled, attendance `attended`), as in
    /// the engagement figures: read from the engagement read model
    /// (`engagement_people`), which holds exactly those rows, indexed by
    /// organisation. Restricted people (Art. 18) are left out.
    pub async fn top_attendees(
        &self,
        organisation_id: OrganisationId,
        limit: u64,
    ) -> StoreResult<Vec<TopAttendee>> {
        crate::organisations::find(&self.db, organisation_id).await?;
        let person = Expr::col((
            engagement_people::Entity,
            engagement_people::Column::RepresentativeId,
        ));
        let last = Func::max(Expr::col((
            engagement_people::Entity,
            engagement_people::Column::StartsAt,
        )));
        let query = Query::select()
            .expr_as(person.clone(), Alias::new("representative_id"))
            .expr_as(Expr::val(1).count(), Alias::new("attended"))
            .expr_as(last.clone(), Alias::new("last_attended_at"))
            .from(engagement_people::Entity)
            // A restricted person (Art. 18) is in no list or report; the
            // brief, which prints this list, names no one in their place.
            .inner_join(
                representatives::Entity,
                Expr::col((representatives::Entity, representatives::Column::Id)).equals((
                    engagement_people::Entity,
                    engagement_people::Column::RepresentativeId,
                )),
            )
            .and_where(Expr::col((representatives::Entity, representatives::Column::RestrictedAt)).is_null())
            .and_where(
                Expr::col((
                    engagement_people::Entity,
                    engagement_people::Column::OrganisationId,
                ))
                .eq(organisation_id.as_uuid()),
            )
            .group_by_col((
                engagement_people::Entity,
                engagement_people::Column::RepresentativeId,
            ))
            .order_by_expr(Expr::val(1).count(), Order::Desc)
            .order_by_expr(last.into(), Order::Desc)
            .order_by_expr(person, Order::Asc)
            .limit(limit)
            .take();
        let mut counts: Vec<(Uuid, i64, DateTime<Utc>)> = Vec::new();
        for row in self.db.query_all(&query).await? {
            counts.push((
                row.try_get("", "representative_id")?,
                row.try_get("", "attended")?,
                row.try_get("", "last_attended_at")?,
            ));
        }
        let mut people = crate::representatives::by_id(&self.db, counts.iter().map(|(id, ..)| *id)).await?;
        counts
            .into_iter()
            .map(|(id, attended, last_attended_at)| {
                let representative = people.remove(&id).ok_or_else(|| {
                    StoreError::Internal(format!(
                        "the engagement read model names a missing representative {id}"
                    ))
                })?;
                Ok(TopAttendee {
                    representative,
                    attended,
                    last_attended_at,
                })
            })
            .collect()
    }

    /// The agenda items the person presents, with their meetings (live and
    /// not cancelled, upcoming ones too), newest meeting first, then in
    /// agenda order.
    pub async fn presentations_of(
        &self,
        representative_id: RepresentativeId,
    ) -> StoreResult<Vec<Presentation>> {
        crate::representatives::find(&self.db, representative_id).await?;
        let item = |column| Expr::col((agenda_items::Entity, column));
        let meeting = |column| Expr::col((meetings::Entity, column));
        let query = Query::select()
            .expr_as(meeting(meetings::Column::Id), Alias::new("meeting_id"))
            .expr_as(meeting(meetings::Column::Title), Alias::new("meeting_title"))
            .expr_as(meeting(meetings::Column::StartsAt), Alias::new("starts_at"))
            .expr_as(item(agenda_items::Column::Id), Alias::new("agenda_item_id"))
            .expr_as(item(agenda_items::Column::Title), Alias::new("agenda_item_title"))
            .from(agenda_item_presenters::Entity)
            .inner_join(
                agenda_items::Entity,
                item(agenda_items::Column::Id).equals((
                    agenda_item_presenters::Entity,
                    agenda_item_presenters::Column::AgendaItemId,
                )),
            )
            .inner_join(
                meetings::Entity,
                meeting(meetings::Column::Id).equals((agenda_items::Entity, agenda_items::Column::MeetingId)),
            )
            .and_where(
                Expr::col((
                    agenda_item_presenters::Entity,
                    agenda_item_presenters::Column::RepresentativeId,
                ))
                .eq(representative_id.as_uuid()),
            )
            .and_where(meeting(meetings::Column::ArchivedAt).is_null())
            .and_where(meeting(meetings::Column::Status).ne(MeetingStatus::Cancelled.as_str()))
            .order_by_expr(meeting(meetings::Column::StartsAt), Order::Desc)
            .order_by_expr(meeting(meetings::Column::Id), Order::Desc)
            .order_by_expr(item(agenda_items::Column::Position), Order::Asc)
            .take();
        let mut presentations = Vec::new();
        for row in self.db.query_all(&query).await? {
            presentations.push(Presentation {
                meeting_id: row.try_get::<Uuid>("", "meeting_id")?.into(),
                meeting_title: row.try_get("", "meeting_title")?,
                starts_at: row.try_get("", "starts_at")?,
                agenda_item_id: row.try_get::<Uuid>("", "agenda_item_id")?.into(),
                agenda_item_title: row.try_get("", "agenda_item_title")?,
            });
        }
        Ok(presentations)
    }

    /// One ranked search across organisations, representatives, meetings,
    /// agenda items, outcomes and follow-ups (live ones), ignoring case and
    /// accents. Returns the best `limit` hits.
    ///
    /// For each kind, the rows whose text starts with the query (their title
    /// does: it is the first line of `search_text`), shortest first, and the
    /// rows that contain it are taken as candidates, at most
    /// `CANDIDATES_PER_KIND` of each, then ranked together. An exact or
    /// prefix match of a title therefore always reaches the ranking.
    pub async fn search(&self, query: &str, limit: usize) -> StoreResult<Vec<SearchHit>> {
        let needle = text::fold(query);
        if needle.is_empty() {
            return Ok(Vec::new());
        }
        let db = &self.db;
        let mut hits = Vec::new();

        let live = Condition::all().add(organisations::Column::ArchivedAt.is_null());
        for row in
            candidates::<organisations::Entity>(db, organisations::Column::SearchText, live, query, |r| r.id)
                .await?
        {
            let fields = [
                Some(row.name.as_str()),
                row.short_name.as_deref(),
                row.city.as_deref(),
            ];
            hits.extend(hit(
                HitKind::Organisation,
                row.id,
                &row.name,
                &fields,
                &needle,
                None,
            ));
        }

        let live = Condition::all()
            .add(representatives::Column::ArchivedAt.is_null())
            .add(representatives::Column::RestrictedAt.is_null());
        let people = candidates::<representatives::Entity>(
            db,
            representatives::Column::SearchText,
            live,
            query,
            |r| r.id,
        )
        .await?;
        let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
        let titles: Vec<(Uuid, Option<String>)> = if ids.is_empty() {
            Vec::new()
        } else {
            affiliations::Entity::find()
                .select_only()
                .column(affiliations::Column::RepresentativeId)
                .column(affiliations::Column::Title)
                .filter(affiliations::Column::RepresentativeId.is_in(ids))
                .filter(affiliations::Column::EndedOn.is_null())
                .into_tuple()
                .all(db)
                .await?
        };
        for row in people {
            let title = titles
                .iter()
                .find(|(id, _)| *id == row.id)
                .and_then(|(_, title)| title.as_deref());
            let fields = [Some(row.full_name.as_str()), title, row.email.as_deref()];
            hits.extend(hit(
                HitKind::Representative,
                row.id,
                &row.full_name,
                &fields,
                &needle,
                None,
            ));
        }

        let live = Condition::all().add(meetings::Column::ArchivedAt.is_null());
        for row in
            candidates::<meetings::Entity>(db, meetings::Column::SearchText, live, query, |r| r.id).await?
        {
            let fields = [
                Some(row.title.as_str()),
                row.location.as_deref(),
                row.summary.as_deref(),
            ];
            hits.extend(hit(
                HitKind::Meeting,
                row.id,
                &row.title,
                &fields,
                &needle,
                Some(row.id),
            ));
        }

        // EXISTS, not IN: SQLite probes the meeting per candidate row
        // instead of building the set of all live meetings first.
        let in_live_meeting = |meeting_id: Expr| {
            Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from(meetings::Entity)
                    .and_where(Expr::col((meetings::Entity, meetings::Column::Id)).eq(meeting_id))
                    .and_where(Expr::col((meetings::Entity, meetings::Column::ArchivedAt)).is_null())
                    .take(),
            )
        };
        let live = Condition::all().add(in_live_meeting(Expr::col((
            agenda_items::Entity,
            agenda_items::Column::MeetingId,
        ))));
        for row in
            candidates::<agenda_items::Entity>(db, agenda_items::Column::SearchText, live, query, |r| r.id)
                .await?
        {
            let fields = [Some(row.title.as_str()), row.description.as_deref()];
            hits.extend(hit(
                HitKind::AgendaItem,
                row.id,
                &row.title,
                &fields,
                &needle,
                Some(row.meeting_id),
            ));
        }

        let live = Condition::all().add(in_live_meeting(Expr::col((
            outcomes::Entity,
            outcomes::Column::MeetingId,
        ))));
        for row in
            candidates::<outcomes::Entity>(db, outcomes::Column::SearchText, live, query, |r| r.id).await?
        {
            let title: String = text::normalize_line(&row.text).chars().take(80).collect();
            let fields = [Some(row.text.as_str())];
            hits.extend(hit(
                HitKind::Outcome,
                row.id,
                &title,
                &fields,
                &needle,
                Some(row.meeting_id),
            ));
        }

        let live = Condition::all().add(follow_ups::Column::ArchivedAt.is_null());
        for row in candidates::<follow_ups::Entity>(db, follow_ups::Column::SearchText, live, query, |r| r.id)
            .await?
        {
            let fields = [Some(row.title.as_str()), row.details.as_deref()];
            hits.extend(hit(
                HitKind::FollowUp,
                row.id,
                &row.title,
                &fields,
                &needle,
                Some(row.meeting_id),
            ));
        }

        hits.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then(a.kind.cmp(&b.kind))
                .then_with(|| a.title.cmp(&b.title))
        });
        hits.truncate(limit);
        Ok(hits)
    }
}

/// The rows of `E` that match `query`, at most `CANDIDATES_PER_KIND`: those
/// whose folded text starts with it (shortest first), then the others that
/// contain it.
async fn candidates<E>(
    db: &impl Db,
    search_text: E::Column,
    live: Condition,
    query: &str,
    id_of: impl Fn(&E::Model) -> Uuid,
) -> StoreResult<Vec<E::Model>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
{
    // Title-prefix matches first (the title is the first line of
    // `search_text`), shortest first, so an exact name always comes in.
    let rows = E::find()
        .filter(live)
        .filter(contains_condition::<E>(
            db.get_database_backend(),
            search_text,
            query,
        ))
        .order_by(folded_starts_with(search_text, query), Order::Desc)
        .order_by(
            Func::cust(Alias::new("length")).arg(Expr::col(search_text.as_column_ref())),
            Order::Asc,
        )
        .limit(CANDIDATES_PER_KIND)
        .all(db)
        .await?;
    let mut seen = std::collections::HashSet::new();
    Ok(rows.into_iter().filter(|row| seen.insert(id_of(row))).collect())
}

/// Rows whose `search_text` contains `query` (folded). On SQLite, queries of
/// three characters or more are answered by the table's FTS5 trigram index
/// (migration `m20261130_000002_read_indexes`) as a phrase query, which is a
/// substring match; shorter ones, and PostgreSQL (whose `pg_trgm` index
/// serves `LIKE` itself), use `LIKE`.
fn contains_condition<E: EntityTrait>(backend: DbBackend, search_text: E::Column, query: &str) -> Expr {
    let needle = text::fold(query);
    if backend != DbBackend::Sqlite || needle.chars().count() < 3 {
        return folded_contains(search_text, query);
    }
    let table = E::default().table_name();
    // An FTS5 string: double quotes, with inner quotes doubled.
    let phrase = format!("\"{}\"", needle.replace('"', "\"\""));
    Expr::cust_with_values(
        format!(
            "\"{table}\".rowid IN (SELECT rowid FROM \"{table}_search\" WHERE \"{table}_search\" MATCH ?)"
        ),
        [phrase],
    )
}

/// Scores a candidate by where `needle` (folded) matches its fields; the
/// first field is its title. `None` if no field matches after all.
fn hit(
    kind: HitKind,
    id: Uuid,
    title: &str,
    fields: &[Option<&str>],
    needle: &str,
    meeting_id: Option<Uuid>,
) -> Option<SearchHit> {
    let mut best: Option<(u32, String)> = None;
    for (index, field) in fields.iter().enumerate() {
        let Some(field) = field else { continue };
        // Folding squeezes white space; so does the snippet's source, so
        // that positions in the two line up.
        let field = text::normalize_line(field);
        let folded = text::fold(&field);
        let Some(at) = folded.find(needle) else { continue };
        let in_title = index == 0;
        let score = match () {
            () if in_title && folded == needle => 100,
            () if in_title && at == 0 => 80,
            () if in_title && folded[..at].ends_with([' ', '-', '(', '\n']) => 60,
            () if in_title => 40,
            () => 20,
        };
        if best.as_ref().is_none_or(|(best_score, _)| score > *best_score) {
            best = Some((score, snippet(&field, &folded, at, needle.len())));
        }
    }
    best.map(|(score, snippet)| SearchHit {
        kind,
        id,
        title: title.to_owned(),
        snippet,
        score,
        meeting_id,
    })
}

/// Up to about 60 characters either side of the match, taken from the
/// original text with its white space squeezed (folding keeps character
/// positions for such text in composed form, which is how the domain stores
/// text).
fn snippet(original: &str, folded: &str, byte_at: usize, byte_len: usize) -> String {
    const CONTEXT: usize = 60;
    let start_char = folded[..byte_at].chars().count();
    let match_chars = folded[byte_at..byte_at + byte_len].chars().count();
    let chars: Vec<char> = original.chars().collect();
    let from = start_char.saturating_sub(CONTEXT);
    let to = (start_char + match_chars + CONTEXT).min(chars.len());
    let mut text: String = chars
        .get(from..to)
        .map(|s| s.iter().collect())
        .unwrap_or_default();
    if from > 0 {
        text.insert(0, '…');
    }
    if to < chars.len() {
        text.push('…');
    }
    text
}
