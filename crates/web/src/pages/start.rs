//! `/`: the start page, by role.

use askama::Template;
use poem::http::StatusCode;
use poem::web::Data;
use poem::{Response, handler};

use crate::frame::{Ctx, Section, render};

#[derive(Template)]
#[template(path = "start.html")]
struct StartPage {
    ctx: Ctx,
}

#[handler]
pub fn page(ctx: Data<&Ctx>) -> Response {
    render(
        &StartPage {
            ctx: ctx.at(Section::Start),
        },
        StatusCode::OK,
    )
}
