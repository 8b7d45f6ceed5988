//! A `samverkan serve` process per test, on a fresh database, on SQLite or
//! PostgreSQL (`samverkan-test-support`, shared with the store tests: see
//! `SAMVERKAN_TEST_POSTGRES_URL`; the database goes with the test, also
//! when it panics).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub use samverkan_test_support::{Backend, TestDatabase};

/// A running server, killed when dropped.
pub struct TestServer {
    pub base: String,
    /// Sends an admin's token with every request.
    pub client: reqwest::Client,
    database_url: String,
    /// The token `serve --demo` printed, if it printed one.
    printed_token: Option<String>,
    /// Every line the server printed before it said where it listens.
    printed: Vec<String>,
    child: Child,
}

/// Runs the `samverkan` command line against `database_url`; its standard
/// output, after checking it succeeded.
pub fn samverkan(database_url: &str, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_samverkan"))
        .args(args)
        .env("SAMVERKAN_DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the command runs");
    assert!(
        output.status.success(),
        "samverkan {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Adds a user with `role` and returns a fresh token of theirs (the last
/// line `token create` prints).
pub fn user_with_token(database_url: &str, email: &str, role: &str) -> String {
    let known = samverkan(database_url, &["user", "list"])
        .lines()
        .any(|line| line.split('\t').nth(1) == Some(email));
    if !known {
        samverkan(database_url, &["user", "add", "--email", email, "--role", role]);
    }
    token_for(database_url, email)
}

/// A fresh token of an existing user.
pub fn token_for(database_url: &str, email: &str) -> String {
    let printed = samverkan(
        database_url,
        &["token", "create", "--email", email, "--name", "e2e"],
    );
    printed.lines().last().expect("a token line").trim().to_owned()
}

/// A client that sends `token` as its bearer token.
pub fn client_with_token(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let value = reqwest::header::HeaderValue::from_str(&format!("Bearer {token}")).expect("a header value");
    headers.insert(reqwest::header::AUTHORIZATION, value);
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .default_headers(headers)
        .build()
        .expect("a client")
}

impl TestServer {
    /// Starts `samverkan serve` on a free port against `database_url`, with
    /// an admin user (`admin@e2e.example`) whose token `client` sends.
    pub fn start(database_url: &str, extra_args: &[&str]) -> Self {
        let admin_token = user_with_token(database_url, "admin@e2e.example", "admin");
        let mut command = Command::new(env!("CARGO_BIN_EXE_samverkan"));
        command.args(["serve", "--bind", "127.0.0.1:0"]).args(extra_args);
        Self::spawn(command, database_url, Some(&admin_token))
    }

    /// Runs `command` (a `samverkan serve`, perhaps wrapped) against
    /// `database_url` until it says where it listens. `client` sends
    /// `token`, or else the token the server printed (`serve --demo`).
    pub fn spawn(mut command: Command, database_url: &str, token: Option<&str>) -> Self {
        let mut child = command
            .env("SAMVERKAN_DATABASE_URL", database_url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let mut printed_token = None;
        let mut printed = Vec::new();
        let base = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(address) = line.strip_prefix("listening on ") {
                        break address.trim().to_owned();
                    }
                    if let Some((_, token)) = line.split_once(" token: ") {
                        printed_token = Some(token.trim().to_owned());
                    }
                    printed.push(line);
                }
                _ => panic!("the server exited before listening"),
            }
        };
        let token = token
            .map(str::to_owned)
            .or_else(|| printed_token.clone())
            .expect("a token: given, or printed by the server");
        Self {
            base,
            client: client_with_token(&token),
            database_url: database_url.to_owned(),
            printed_token,
            printed,
            child,
        }
    }

    /// A token of a new user with `role` (e-mail `ROLE@e2e.example`).
    pub fn token_with_role(&self, role: &str) -> String {
        user_with_token(&self.database_url, &format!("{role}@e2e.example"), role)
    }

    pub fn printed_token(&self) -> Option<String> {
        self.printed_token.clone()
    }

    /// The lines the server printed before `listening on`.
    pub fn printed(&self) -> &[String] {
        &self.printed
    }

    /// The (role, e-mail, password) lines `serve --demo` printed under
    /// "Sign in at".
    pub fn demo_sign_ins(&self) -> Vec<(String, String, String)> {
        let heading = format!("Sign in at {}/ with:", self.base);
        let lines = self.printed();
        let start = lines
            .iter()
            .position(|line| *line == heading)
            .unwrap_or_else(|| panic!("no {heading:?} in {lines:?}"));
        lines[start + 1..]
            .iter()
            .take_while(|line| line.starts_with("  "))
            .map(|line| {
                let words: Vec<&str> = line.split_whitespace().collect();
                assert_eq!(words.len(), 3, "{line:?}");
                (words[0].to_owned(), words[1].to_owned(), words[2].to_owned())
            })
            .collect()
    }

    /// The e-mail and password `serve --demo` printed for `role`.
    pub fn demo_credentials(&self, role: &str) -> (String, String) {
        self.demo_sign_ins()
            .into_iter()
            .find(|(printed, _, _)| printed == role)
            .map(|(_, email, password)| (email, password))
            .unwrap_or_else(|| panic!("no demo user with role {role}"))
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Kills the process with SIGKILL, as a crash or power loss of the
    /// process would, and waits for it to be gone.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends SIGTERM and waits for the process to exit; true if it exited 0.
    pub fn terminate(mut self) -> bool {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().map(|status| status.success()).unwrap_or(false)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Defines, for each named `async fn(&TestServer)`, a module with one test
/// per backend, each with a fresh database and server. `api_tests!(args
/// ["--flag", "value"] name)` starts that test's server with those arguments.
#[macro_export]
macro_rules! api_tests {
    (args [$($arg:expr),* $(,)?] $test:ident) => {
        $crate::api_tests!(@one [$($arg),*] $test);
    };
    (@one [$($arg:expr),*] $test:ident) => {
        mod $test {
            use $crate::server::{Backend, TestDatabase, TestServer};

            async fn run(backend: Backend) {
                let Some(database) = TestDatabase::new(backend).await else { return };
                let server = TestServer::start(&database.url, &[$($arg),*]);
                super::$test(&server).await;
                drop(server);
                drop(database);
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run(Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                run(Backend::Postgres).await;
            }
        }
    };
    ($($test:ident),* $(,)?) => {
        $(
            $crate::api_tests!(@one [] $test);
        )*
    };
}
