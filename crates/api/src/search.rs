//! `/api/v1/search`: one ranked search across everything.

use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Enum, Object, OpenApi};
use samverkan_store::{HitKind, SearchHit, Store};
use uuid::Uuid;

use crate::ApiTags;
use crate::auth;
use crate::problem::ApiError;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum HitType {
    Organisation,
    Representative,
    Meeting,
    AgendaItem,
    Outcome,
    FollowUp,
}

impl From<HitKind> for HitType {
    fn from(kind: HitKind) -> Self {
        match kind {
            HitKind::Organisation => Self::Organisation,
            HitKind::Representative => Self::Representative,
            HitKind::Meeting => Self::Meeting,
            HitKind::AgendaItem => Self::AgendaItem,
            HitKind::Outcome => Self::Outcome,
            HitKind::FollowUp => Self::FollowUp,
        }
    }
}

/// One hit.
#[derive(Debug, Clone, Object)]
pub struct Hit {
    #[oai(rename = "type")]
    pub kind: HitType,
    pub id: Uuid,
    pub title: String,
    /// The text around the match.
    pub snippet: String,
    /// Higher ranks first.
    pub score: u32,
    /// For agenda items, outcomes and follow-ups: their meeting.
    #[oai(nullable)]
    pub meeting_id: Option<Uuid>,
}

impl From<SearchHit> for Hit {
    fn from(hit: SearchHit) -> Self {
        Self {
            kind: hit.kind.into(),
            id: hit.id,
            title: hit.title,
            snippet: hit.snippet,
            score: hit.score,
            meeting_id: hit.meeting_id,
        }
    }
}

#[derive(Debug, Clone, Object)]
pub struct SearchResults {
    pub items: Vec<Hit>,
}

pub struct SearchApi {
    pub store: Store,
}

#[OpenApi(tag = "ApiTags::Search")]
impl SearchApi {
    /// Search everything
    ///
    /// Organisations, representatives, meetings, agenda topics, outcomes and
    /// follow-ups, best first: an exact name, then a prefix, a word start, a
    /// match inside a title, a match in another field. Case and accents do
    /// not matter (å, ä and ö are letters of their own).
    #[oai(path = "/api/v1/search", method = "get", operation_id = "search")]
    async fn search(
        &self,
        _auth: auth::ReadRecords,
        /// What to look for (1 to 200 characters).
        #[oai(validator(min_length = 1, max_length = 200))]
        q: Query<String>,
        /// How many hits, 1 to 100 (default 20).
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))]
        limit: Query<Option<u32>>,
    ) -> Result<Json<SearchResults>, ApiError> {
        let query = q.0.trim();
        if query.is_empty() || query.chars().count() > 200 {
            return Err(ApiError::bad_request("q", "must be 1 to 200 characters"));
        }
        let limit = limit.0.unwrap_or(20);
        if !(1..=100).contains(&limit) {
            return Err(ApiError::bad_request("limit", "must be between 1 and 100"));
        }
        let hits = self
            .store
            .search(query, usize::try_from(limit).unwrap_or(20))
            .await?;
        Ok(Json(SearchResults {
            items: hits.into_iter().map(Hit::from).collect(),
        }))
    }
}
