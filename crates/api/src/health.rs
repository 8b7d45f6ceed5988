//! `/health` and `/ready`: for load balancers and orchestrators.

use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use samverkan_store::{Store, StoreError};

use crate::ApiTags;

#[derive(Debug, Clone, Object)]
pub struct Status {
    /// `ok`; `unavailable` (the database does not answer) or
    /// `storage-full` (it answers, but its disk has no room for writes).
    pub status: String,
}

#[derive(Debug, ApiResponse)]
pub enum ReadyResponse {
    /// The database answers.
    #[oai(status = 200)]
    Ready(Json<Status>),
    /// The database does not answer, or has no room for writes.
    #[oai(status = 503)]
    Unavailable(Json<Status>),
}

pub struct HealthApi {
    pub store: Store,
}

#[OpenApi(tag = "ApiTags::Health")]
impl HealthApi {
    /// Liveness
    ///
    /// The process serves requests. Does not touch the database.
    #[oai(path = "/health", method = "get", operation_id = "health")]
    async fn health(&self) -> Json<Status> {
        Json(Status { status: "ok".into() })
    }

    /// Readiness
    ///
    /// 200 when the database answers and has room for writes; 503 when it
    /// does not answer (`unavailable`) or its disk is full (`storage-full`:
    /// reads still work, and readiness returns once space is freed).
    #[oai(path = "/ready", method = "get", operation_id = "ready")]
    async fn ready(&self) -> ReadyResponse {
        let state = match self.store.ping().await {
            Ok(()) => self.store.room_for_writes().await,
            Err(error) => Err(error),
        };
        match state {
            Ok(()) => ReadyResponse::Ready(Json(Status { status: "ok".into() })),
            Err(error) => {
                tracing::warn!(%error, "not ready");
                let status = match error {
                    StoreError::StorageFull(_) => "storage-full",
                    _ => "unavailable",
                };
                ReadyResponse::Unavailable(Json(Status {
                    status: status.into(),
                }))
            }
        }
    }
}
