//! A person's browser reduced to what the server sees: cookies, forms and
//! redirects, over plain HTTP (reqwest with a cookie store, following no
//! redirect so that each answer can be checked).

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};

use crate::server::TestServer;

pub struct Visitor {
    pub client: reqwest::Client,
    base: String,
}

/// One answer: its status, headers and page.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(LOCATION).and_then(|value| value.to_str().ok())
    }

    /// The `Set-Cookie` header that sets cookie `name`.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }

    /// The value of the page's first hidden `_csrf` field.
    pub fn csrf(&self) -> String {
        let marker = "name=\"_csrf\" value=\"";
        let start = self
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no _csrf in {}", self.body))
            + marker.len();
        let end = self.body[start..].find('"').unwrap() + start;
        self.body[start..end].to_owned()
    }

    /// The text of the page's `<h1>`.
    pub fn heading(&self) -> &str {
        let start = self.body.find("<h1>").map(|at| at + 4).unwrap_or(0);
        let end = self.body[start..].find("</h1>").map_or(start, |at| at + start);
        self.body[start..end].trim()
    }
}

impl Visitor {
    pub fn new(server: &TestServer) -> Self {
        Self {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: server.base.clone(),
        }
    }

    async fn answer(response: reqwest::Response) -> Answer {
        Answer {
            status: response.status(),
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        Self::answer(
            self.client
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Posts a form as a browser does.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Answer {
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .header("sec-fetch-site", "same-origin")
            .form(form);
        Self::answer(request.send().await.unwrap()).await
    }

    /// Opens the sign-in page and submits it.
    pub async fn sign_in(&self, email: &str, password: &str) -> Answer {
        self.sign_in_to(email, password, "").await
    }

    pub async fn sign_in_to(&self, email: &str, password: &str, next: &str) -> Answer {
        let form = self.get("/login").await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let csrf = form.csrf();
        self.post(
            "/login",
            &[
                ("_csrf", &csrf),
                ("email", email),
                ("password", password),
                ("next", next),
            ],
        )
        .await
    }

    /// Signs out through the header's form.
    pub async fn sign_out(&self) -> Answer {
        let page = self.get("/").await;
        let csrf = page.csrf();
        self.post("/logout", &[("_csrf", &csrf)]).await
    }
}
