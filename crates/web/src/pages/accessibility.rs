//! `/tillganglighet`: the accessibility statement a Swedish public body must
//! publish (lag 2018:1937), open to everyone, signed in or not.

use askama::Template;
use poem::http::StatusCode;
use poem::web::Data;
use poem::{Response, handler};

use crate::frame::{Ctx, Section, render};
use crate::{AccessibilityContact, WebConfig};

#[derive(Template)]
#[template(path = "accessibility.html")]
struct AccessibilityPage<'a> {
    ctx: Ctx,
    contact: &'a AccessibilityContact,
}

#[handler]
pub fn page(ctx: Data<&Ctx>, config: Data<&WebConfig>) -> Response {
    render(
        &AccessibilityPage {
            ctx: ctx.at(Section::None),
            contact: &config.accessibility,
        },
        StatusCode::OK,
    )
}
