//! `/search?q=`: the store's ranked search over everything, grouped by
//! kind, each hit linking to its record with the matched text marked.
//!
//! The marks are found here, not in the template: the text is cut into
//! pieces (matched or not) that the template escapes one by one, so no
//! record's text is ever written as HTML. Matching ignores case and accents
//! exactly as the store's search does ([`text::fold`]), so "LINDHÉ" marks
//! "Lindhé"; positions are mapped back to the original characters one
//! character at a time, since folding can change a text's length.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Query};
use poem::{Response, handler};
use samverkan_domain::{Permission, RepresentativeId, text};
use samverkan_store::{HitKind, SearchHit, Store};
use serde::Deserialize;
use uuid::Uuid;

use crate::frame::{Ctx, PageError, Section, render};

/// How many hits a search shows, the best first.
const HITS: usize = 50;

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: Option<String>,
}

/// A text cut into pieces, each marked or not.
pub type Marked = Vec<(String, bool)>;

/// One hit as the page shows it.
#[derive(Debug)]
pub struct Shown {
    pub href: String,
    pub title: Marked,
    /// The matched text, when it is not the title itself.
    pub snippet: Option<Marked>,
}

/// The hits of one kind, under their heading.
#[derive(Debug)]
pub struct Group {
    pub heading: &'static str,
    pub hits: Vec<Shown>,
}

#[derive(Template)]
#[template(path = "search/page.html")]
struct SearchPage {
    ctx: Ctx,
    q: String,
    searched: bool,
    groups: Vec<Group>,
}

const ORDER: [HitKind; 6] = [
    HitKind::Organisation,
    HitKind::Representative,
    HitKind::Meeting,
    HitKind::AgendaItem,
    HitKind::Outcome,
    HitKind::FollowUp,
];

fn heading(ctx: &Ctx, kind: HitKind) -> &'static str {
    let t = ctx.t;
    match kind {
        HitKind::Organisation => t.hits_organisations,
        HitKind::Representative => t.hits_people,
        HitKind::Meeting => t.hits_meetings,
        HitKind::AgendaItem => t.hits_agenda_items,
        HitKind::Outcome => t.hits_outcomes,
        HitKind::FollowUp => t.hits_follow_ups,
    }
}

/// Where a hit leads: its own page, or for the parts of a meeting (agenda
/// items and outcomes, which have none), the meeting's.
fn href(hit: &SearchHit) -> String {
    let meeting = hit.meeting_id.unwrap_or(hit.id);
    match hit.kind {
        HitKind::Organisation => format!("/organisations/{}", hit.id),
        HitKind::Representative => format!("/people/{}", hit.id),
        HitKind::Meeting => format!("/meetings/{}", hit.id),
        HitKind::AgendaItem | HitKind::Outcome => format!("/meetings/{meeting}"),
        HitKind::FollowUp => format!("/follow-ups/{}", hit.id),
    }
}

#[handler]
pub async fn page(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Query(query): Query<SearchQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::ReadRecords)?;
    let q = query.q.unwrap_or_default();
    let searched = !text::fold(&q).is_empty();
    let hits = if searched {
        store.search(&q, HITS).await.map_err(PageError::Store)?
    } else {
        Vec::new()
    };
    let minors = minors_among(&store, &hits).await?;
    let groups = ORDER
        .into_iter()
        .filter_map(|kind| {
            let hits: Vec<Shown> = hits
                .iter()
                .filter(|hit| hit.kind == kind)
                .map(|hit| {
                    // A minor's title or e-mail is not to be shown, even
                    // as the reason they were found.
                    let snippet = (hit.snippet != hit.title && !minors.contains(&hit.id))
                        .then(|| mark(&hit.snippet, &q));
                    Shown {
                        href: href(hit),
                        title: mark(&hit.title, &q),
                        snippet,
                    }
                })
                .collect();
            (!hits.is_empty()).then(|| Group {
                heading: heading(&ctx, kind),
                hits,
            })
        })
        .collect();
    Ok(render(
        &SearchPage {
            ctx: ctx.at(Section::Search),
            q,
            searched,
            groups,
        },
        StatusCode::OK,
    ))
}

/// The people among the hits who are minors.
async fn minors_among(store: &Store, hits: &[SearchHit]) -> Result<Vec<Uuid>, PageError> {
    let mut minors = Vec::new();
    for hit in hits.iter().filter(|hit| hit.kind == HitKind::Representative) {
        let person = store.representative(RepresentativeId::from(hit.id)).await?;
        if person.details.is_minor {
            minors.push(hit.id);
        }
    }
    Ok(minors)
}

/// `text` cut into pieces, those that match `query` (ignoring case and
/// accents, as [`text::fold`] does) marked.
pub fn mark(text: &str, query: &str) -> Marked {
    let needle: Vec<char> = text::fold(query).chars().collect();
    let source: Vec<char> = text.chars().collect();
    if needle.is_empty() {
        return vec![(text.to_owned(), false)];
    }
    // The folded text, each of its characters with the index of the
    // source character it came from. White space folds to one space per
    // run, as `fold` collapses it.
    let mut folded: Vec<(char, usize)> = Vec::with_capacity(source.len());
    for (index, c) in source.iter().enumerate() {
        if c.is_whitespace() {
            if folded.last().is_some_and(|(last, _)| *last != ' ') {
                folded.push((' ', index));
            }
            continue;
        }
        folded.extend(text::fold(&c.to_string()).chars().map(|f| (f, index)));
    }
    // Source character ranges that match, in order and apart.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while at + needle.len() <= folded.len() {
        let matches = folded[at..at + needle.len()]
            .iter()
            .zip(&needle)
            .all(|((f, _), n)| f == n);
        if matches {
            let start = folded[at].1;
            let end = folded[at + needle.len() - 1].1 + 1;
            match ranges.last_mut() {
                Some((_, last_end)) if *last_end >= start => *last_end = end.max(*last_end),
                _ => ranges.push((start, end)),
            }
            at += needle.len();
        } else {
            at += 1;
        }
    }
    let mut pieces = Vec::new();
    let mut from = 0;
    for (start, end) in ranges {
        if start > from {
            pieces.push((source[from..start].iter().collect(), false));
        }
        pieces.push((source[start..end].iter().collect(), true));
        from = end;
    }
    if from < source.len() {
        pieces.push((source[from..].iter().collect(), false));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(pieces: &Marked) -> String {
        pieces
            .iter()
            .map(|(piece, is_match)| {
                if *is_match {
                    format!("[{piece}]")
                } else {
                    piece.clone()
                }
            })
            .collect()
    }

    #[test]
    fn matches_are_marked_ignoring_case_and_accents() {
        assert_eq!(marked(&mark("Lena Lindhé", "LINDHÉ")), "Lena [Lindhé]");
        assert_eq!(marked(&mark("Lena Lindhé", "lindhe")), "Lena [Lindhé]");
        assert_eq!(marked(&mark("Café och café", "CAFE")), "[Café] och [café]");
        // Å, Ä and Ö are letters of their own, not accented A and O.
        assert_eq!(marked(&mark("Åmål och Amal", "åmål")), "[Åmål] och Amal");
        assert_eq!(marked(&mark("Högskolan Väst", "VÄST")), "Högskolan [Väst]");
    }

    #[test]
    fn white_space_runs_match_one_space() {
        assert_eq!(
            marked(&mark("Högskolan   Väst", "skolan väst")),
            "Hög[skolan   Väst]"
        );
        assert_eq!(marked(&mark("no match", "zzz")), "no match");
        assert_eq!(marked(&mark("text", "   ")), "text");
    }

    #[test]
    fn text_that_folds_longer_keeps_its_positions() {
        // "İ" lower-cases to two characters; the mark must still fall on
        // whole source characters.
        assert_eq!(marked(&mark("İstanbul bul", "bul")), "İstan[bul] [bul]");
    }
}
