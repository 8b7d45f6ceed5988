//! `/health` and `/ready`: for load balancers and orchestrators.

use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use samverkan_store::Store;

use crate::ApiTags;

#[derive(Debug, Clone, Object)]
pub struct Status {
    /// `ok`, or `unavailable`.
    pub status: String,
}

#[derive(Debug, ApiResponse)]
pub enum ReadyResponse {
    /// The database answers.
    #[oai(status = 200)]
    Ready(Json<Status>),
    /// The database does not answer.
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
    /// 200 when the database answers, 503 when it does not.
    #[oai(path = "/ready", method = "get", operation_id = "ready")]
    async fn ready(&self) -> ReadyResponse {
        match self.store.ping().await {
            Ok(()) => ReadyResponse::Ready(Json(Status { status: "ok".into() })),
            Err(error) => {
                tracing::warn!(%error, "not ready");
                ReadyResponse::Unavailable(Json(Status {
                    status: "unavailable".into(),
                }))
            }
        }
    }
}
