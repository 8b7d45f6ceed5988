//! Form errors the way the GOV.UK Design System shows them: a message
//! beside each field (tied to it with `aria-describedby`), and a summary at
//! the top of the page linking to each field, which takes focus when the
//! page opens. Every value the person typed is shown again as typed.

use std::borrow::Cow;

use samverkan_domain::FieldError;
use samverkan_report::Lang;
use samverkan_store::StoreError;

use crate::history::HistoryEntry;

/// The errors of a form, by field id, in the order of the form.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors {
    errors: Vec<(String, Cow<'static, str>)>,
}

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: impl Into<Cow<'static, str>>) {
        self.errors.push((field_id(field), message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Adds `more` after these, one message per field.
    pub fn merge(&mut self, more: Self) {
        for (field, message) in more.errors {
            if self.get(&field).is_none() {
                self.errors.push((field, message));
            }
        }
    }

    /// What the store refused about a form's input, beside each field in
    /// the page's language (see [`Self::from_domain`]); `None` for a
    /// refusal that is no field's (a conflict, a failure).
    pub fn from_store(
        lang: Lang,
        error: &StoreError,
        field_of: impl Fn(&str) -> String,
        required: impl Fn(&str) -> Option<&'static str>,
    ) -> Option<Self> {
        match error {
            StoreError::Validation(errors) => {
                Some(Self::from_domain(lang, errors.errors(), field_of, required))
            }
            StoreError::Duplicate { field, message } => {
                let field = if field.is_empty() { "name" } else { field.as_str() };
                Some(Self::from_domain(
                    lang,
                    &[FieldError::new(field, message.clone())],
                    field_of,
                    required,
                ))
            }
            _ => None,
        }
    }

    /// The message of field `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        let id = field_id(field);
        self.errors
            .iter()
            .find(|(field, _)| *field == id)
            .map(|(_, message)| message.as_ref())
    }

    /// The domain's errors, each beside the form field that holds its
    /// path (`field_of`: `tags[2]` is in the one field `tags`), in the
    /// page's language; `required` names what to enter in a field left
    /// empty that must not be (GOV.UK's "Enter …").
    pub fn from_domain(
        lang: Lang,
        errors: &[FieldError],
        field_of: impl Fn(&str) -> String,
        required: impl Fn(&str) -> Option<&'static str>,
    ) -> Self {
        let mut form = Self::default();
        for error in errors {
            let field = field_of(&error.field);
            // One message per field: the first is the one to fix first.
            if form.get(&field).is_some() {
                continue;
            }
            let message = match required(&field) {
                Some(enter) if is_missing(&error.message) => Cow::Borrowed(enter),
                _ => explain(lang, &error.message),
            };
            form.add(&field, message);
        }
        form
    }
}

/// The ids that describe field `id` (its `aria-describedby`): its hint,
/// its error and what is saved now, those it has.
pub fn described_by(id: &str, hint: &str, error: &Option<&str>, saved: &Option<&str>) -> String {
    [
        (!hint.is_empty()).then(|| format!("{id}-hint")),
        error.map(|_| format!("{id}-error")),
        saved.map(|_| format!("{id}-saved")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ")
}

/// Whether the option `value` is the one `chosen` (for `selected`).
pub fn is_chosen(value: &str, chosen: &str) -> bool {
    value == chosen
}

/// Whether a domain message says that the field was left empty.
fn is_missing(message: &str) -> bool {
    message == "is required" || message.starts_with("must not be empty")
}

/// A domain rule's message (written for API clients, in English) as a
/// person reads it beside a field, in `lang`. A message this does not know
/// is shown as the domain wrote it, as a sentence: never lost, if English.
pub fn explain(lang: Lang, message: &str) -> Cow<'static, str> {
    let number_after = |prefix: &str| -> Option<u64> {
        message
            .strip_prefix(prefix)?
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    };
    let sv = lang == Lang::Sv;
    let text = if is_missing(message) {
        if sv {
            "Fältet får inte vara tomt."
        } else {
            "This field must not be empty."
        }
        .into()
    } else if let Some(max) = number_after("must be at most ") {
        if sv {
            format!("Får vara högst {max} tecken.")
        } else {
            format!("Must be at most {max} characters.")
        }
    } else if let Some(max) = number_after("at most ") {
        if sv {
            format!("Högst {max} får anges.")
        } else {
            format!("At most {max} may be given.")
        }
    } else if message.starts_with("must not contain control characters") {
        if sv {
            "Får inte innehålla styrtecken."
        } else {
            "Must not contain control characters."
        }
        .into()
    } else if message.starts_with("must not contain bidirectional control characters") {
        if sv {
            "Får inte innehålla tecken som vänder skrivriktningen: de kan få ett namn att läsas på ett annat sätt än det är sparat."
        } else {
            "Must not contain characters that turn the writing direction: they can make a name read otherwise than it is stored."
        }
        .into()
    } else if message.starts_with("must be ten digits") {
        if sv {
            "Skriv tio siffror: NNNNNN-NNNN."
        } else {
            "Write ten digits: NNNNNN-NNNN."
        }
        .into()
    } else if message.starts_with("the check digit does not match") {
        if sv {
            "Kontrollsiffran stämmer inte. Kontrollera numret."
        } else {
            "The check digit does not match. Check the number."
        }
        .into()
    } else if message.starts_with("is not an e-mail address") {
        if sv {
            "Skriv en e-postadress, till exempel namn@example.se."
        } else {
            "Enter an e-mail address, such as name@example.org."
        }
        .into()
    } else if message.starts_with("is not a web address")
        || message.starts_with("must be an http or https address")
    {
        if sv {
            "Skriv en webbadress som börjar med https:// eller http://."
        } else {
            "Enter a web address that starts with https:// or http://."
        }
        .into()
    } else if message.starts_with("must be a phone number") {
        if sv {
            "Skriv ett telefonnummer: 5 till 20 siffror, gärna med mellanslag eller bindestreck, eller med + först."
        } else {
            "Enter a phone number: 5 to 20 digits, with spaces or dashes if you like, or a leading +."
        }
        .into()
    } else if message == "is not kept for a minor" {
        if sv {
            "Sparas inte för en minderårig: lämna fältet tomt."
        } else {
            "Not kept for a minor: leave the field empty."
        }
        .into()
    } else if message == "must be after starts_at" {
        if sv {
            "Mötet måste sluta efter att det har börjat."
        } else {
            "The meeting must end after it begins."
        }
        .into()
    } else if message == "is listed more than once among the attendees"
        || message == "is listed more than once"
    {
        if sv {
            "Står redan med en gång: ta bort den ena raden."
        } else {
            "Is already listed once: remove one of the rows."
        }
        .into()
    } else if message.ends_with("presents but is not an attendee of the meeting") {
        if sv {
            "Presentatören är inte med bland deltagarna, eller är frånvarande."
        } else {
            "The presenter is not among the attendees, or is absent."
        }
        .into()
    } else if message.starts_with("must be between 1 and ") {
        if sv {
            "Ange en längd mellan 1 och 1 440 minuter."
        } else {
            "Enter a length between 1 and 1,440 minutes."
        }
        .into()
    } else if message == "a meeting that has not begun cannot have been held" {
        if sv {
            "Ett möte som inte har börjat kan inte vara genomfört: välj ”Planerat”."
        } else {
            "A meeting that has not begun cannot have been held: choose \"Planned\"."
        }
        .into()
    } else if message.ends_with("is archived") {
        if sv {
            "Är arkiverad och kan inte läggas till i nya möten."
        } else {
            "Is archived and cannot be added to new meetings."
        }
        .into()
    } else if message.contains("is restricted (GDPR Art. 18)") {
        if sv {
            "Behandlingen av personens uppgifter är begränsad: hen kan inte läggas till i nya möten."
        } else {
            "Processing of the person's data is restricted: they cannot be added to new meetings."
        }
        .into()
    } else if message.starts_with("no representative has the id")
        || message.starts_with("no organisation has the id")
    {
        if sv {
            "Finns inte i Samverkan."
        } else {
            "Is not in Samverkan."
        }
        .into()
    } else if message == "a partnership is between two different organisations" {
        if sv {
            "Ett partnerskap är mellan två olika organisationer: välj en annan."
        } else {
            "A partnership is between two different organisations: choose another."
        }
        .into()
    } else if message == "must not be before started_on" {
        if sv {
            "Slutdatumet får inte vara före startdatumet."
        } else {
            "The end date must not be before the start date."
        }
        .into()
    } else if message == "only an ended partnership has an end date" {
        if sv {
            "Bara ett avslutat partnerskap har ett slutdatum: välj status ”Avslutat” eller lämna fältet tomt."
        } else {
            "Only an ended partnership has an end date: choose the status \"Ended\" or leave the field empty."
        }
        .into()
    } else if message == "only a follow-up that is done has a completion day" {
        if sv {
            "Bara en uppföljning som är klar har en dag då den blev klar: välj status ”Klar” eller lämna fältet tomt."
        } else {
            "Only a follow-up that is done has a day it was done: choose the status \"Done\" or leave the field empty."
        }
        .into()
    } else if message.contains(" is in the future (today is ") {
        if sv {
            "Dagen får inte vara senare än i dag."
        } else {
            "The day must not be later than today."
        }
        .into()
    } else if message.contains(" is before the follow-up's meeting (") {
        if sv {
            "Dagen får inte vara före mötet som uppföljningen kom från."
        } else {
            "The day must not be before the meeting the follow-up came from."
        }
        .into()
    } else if let Some(start) = message
        .strip_prefix("must not be before the current affiliation began (")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        if sv {
            format!("Dagen får inte vara före den dag då den nuvarande anknytningen började ({start}).")
        } else {
            format!("The day must not be before the current affiliation began ({start}).")
        }
    } else if message.starts_with("an organisation named") {
        if sv {
            "Det finns redan en organisation med det namnet."
        } else {
            "An organisation with that name already exists."
        }
        .into()
    } else {
        return Cow::Owned(sentence(message));
    };
    Cow::Owned(text)
}

/// `message` as a sentence: a capital first letter and a full stop.
fn sentence(message: &str) -> String {
    let mut characters = message.chars();
    let mut text: String = characters
        .next()
        .map(|first| first.to_uppercase().chain(characters).collect())
        .unwrap_or_default();
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

/// The id of a field's input, from the domain's path for it:
/// `agenda[2].presenter_ids[0]` → `agenda-2-presenter_ids-0`.
pub fn field_id(path: &str) -> String {
    let mut id = String::with_capacity(path.len());
    for character in path.chars() {
        match character {
            '[' | '.' => id.push('-'),
            ']' => {}
            other => id.push(other),
        }
    }
    id
}

/// The confirmation before a record is archived: what stays and what
/// changes, and the button that archives it at the version shown.
#[derive(askama::Template)]
#[template(path = "archive.html")]
pub struct ArchivePage {
    pub ctx: crate::frame::Ctx,
    /// "Arkivera organisation", …
    pub action_label: &'static str,
    /// The record's name, as its page heads it.
    pub name: String,
    /// The record's page (`/organisations/{id}`); the form posts to its
    /// `/archive`.
    pub record: String,
    pub keeps: &'static str,
    pub changes: &'static str,
    pub version: i32,
}

/// The archive confirmation's form: the version it was shown at.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ArchiveForm {
    #[serde(default)]
    version: String,
}

impl ArchiveForm {
    /// The version the confirmation was shown at.
    pub fn read_at(&self) -> Result<i32, crate::frame::PageError> {
        self.version
            .trim()
            .parse()
            .map_err(|_| crate::frame::PageError::BadRequest)
    }
}

/// The answer to an archive confirmation sent for the record at `record`
/// (its page's address): the page with its notice; or, when the record
/// changed since the confirmation was shown, the confirmation again, on
/// what it is now.
pub fn archived<T>(result: Result<T, StoreError>, record: &str) -> poem::Result<poem::Response> {
    match result {
        Ok(_) => Ok(crate::session::see_other(&format!("{record}?done=archived"))),
        Err(StoreError::VersionConflict { .. }) => {
            Ok(crate::session::see_other(&format!("{record}/archive")))
        }
        Err(error) => Err(crate::frame::PageError::Store(error).into()),
    }
}

/// Someone else saved a record while its form was open: the form comes back
/// with the reader's input kept, this beside it, and the record's new
/// version, so that sending it again puts the reader's change on top.
#[derive(Debug)]
pub struct Conflict {
    /// Their changes since the version the form was read at.
    pub changes: Vec<HistoryEntry>,
    /// The label, field and saved value of each field that differs from
    /// what the reader typed.
    pub saved: Vec<(&'static str, &'static str, String)>,
}

impl Conflict {
    /// `fields` are (label, field, typed, saved now); the ones that differ
    /// are shown, `shown` turning a saved value into what a reader reads.
    pub fn new(
        changes: Vec<HistoryEntry>,
        fields: Vec<(&'static str, &'static str, &str, &str)>,
        shown: impl Fn(&str, &str) -> String,
    ) -> Self {
        let saved = fields
            .into_iter()
            .filter(|(_, _, typed, saved)| typed.trim() != saved.trim())
            .map(|(label, field, _, saved)| (label, field, shown(field, saved)))
            .collect();
        Self { changes, saved }
    }

    /// What is saved now in `field`, if it differs from what was typed.
    pub fn saved(&self, field: &str) -> Option<&str> {
        self.saved
            .iter()
            .find(|(_, name, _)| *name == field)
            .map(|(_, _, value)| value.as_str())
    }

    /// The field the error summary links the conflict to.
    pub fn first_field(&self, otherwise: &'static str) -> &'static str {
        self.saved.first().map_or(otherwise, |(_, field, _)| *field)
    }
}

/// What the summary at the top of a page lists: each field's error, and
/// any that belongs to the form as a whole (linked to its first field).
#[derive(Debug)]
pub struct ErrorSummary<'a> {
    pub items: Vec<(String, Cow<'a, str>)>,
}

impl<'a> ErrorSummary<'a> {
    pub fn new(errors: &'a FieldErrors, whole_form: Option<(&str, &'a str)>) -> Self {
        let mut items: Vec<(String, Cow<'a, str>)> = errors
            .errors
            .iter()
            .map(|(id, message)| (id.clone(), Cow::Borrowed(message.as_ref())))
            .collect();
        if let Some((field, message)) = whole_form {
            items.push((field_id(field), Cow::Borrowed(message)));
        }
        Self { items }
    }

    /// For a form of repeating rows: the items in the order of the form
    /// (`rank` of each field id), each message led by what names its row
    /// (`where_`, e.g. "Deltagare 3"), since the same message may stand at
    /// several rows.
    #[must_use]
    pub fn of_rows<K: Ord>(
        mut self,
        rank: impl Fn(&str) -> K,
        where_: impl Fn(&str) -> Option<String>,
    ) -> Self {
        self.items.sort_by_key(|(id, _)| rank(id));
        for (id, message) in &mut self.items {
            if let Some(place) = where_(id) {
                *message = Cow::Owned(format!("{place}: {message}"));
            }
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_domain_messages_of_an_organisation_read_in_swedish() {
        use samverkan_domain::{OrganisationDetails, OrganisationInput};
        let input = OrganisationInput {
            name: "x".repeat(201),
            organisation_number: Some("556036-0794x".into()),
            website: Some("ftp://example.org".into()),
            city: Some("Trollhättan\u{7}".into()),
            tags: vec!["ok".into(); 1],
            ..OrganisationInput::default()
        };
        let Err(errors) = OrganisationDetails::parse(&input) else {
            panic!("the input breaks rules");
        };
        let fields: Vec<&str> = errors.errors().iter().map(|error| error.field.as_str()).collect();
        assert!(fields.len() >= 5, "{fields:?}");
        for error in errors.errors() {
            let text = explain(Lang::Sv, &error.message);
            // The fallback repeats the English; every rule here is known.
            assert_ne!(text, sentence(&error.message), "{error}");
        }
        let form = FieldErrors::from_domain(
            Lang::Sv,
            errors.errors(),
            |path| path.split('[').next().unwrap_or(path).to_owned(),
            |field| (field == "kind").then_some("Välj vilken typ av organisation det är."),
        );
        assert_eq!(form.get("kind"), Some("Välj vilken typ av organisation det är."));
        assert_eq!(form.get("name"), Some("Får vara högst 200 tecken."));
    }

    #[test]
    fn the_domain_messages_of_a_person_read_in_swedish() {
        use samverkan_domain::{RepresentativeDraft, RepresentativeInput};
        for input in [
            RepresentativeInput {
                full_name: "Tilde".into(),
                email: Some("tilde@example.se".into()),
                phone: Some("0520-22 30 00".into()),
                notes: Some("Elev".into()),
                is_minor: true,
                ..RepresentativeInput::default()
            },
            RepresentativeInput {
                full_name: String::new(),
                email: Some("inte en adress".into()),
                phone: Some("12".into()),
                ..RepresentativeInput::default()
            },
        ] {
            let Err(errors) = RepresentativeDraft::parse(&input) else {
                panic!("the input breaks rules");
            };
            for error in errors.errors() {
                assert_ne!(
                    explain(Lang::Sv, &error.message),
                    sentence(&error.message),
                    "{error}"
                );
            }
        }
    }

    #[test]
    fn the_domain_messages_of_a_meeting_read_in_swedish() {
        use samverkan_domain::{
            AgendaItemInput, AttendanceRole, AttendanceStatus, Attendee, AttendeeInput, MeetingInput,
            MeetingKind, MeetingLog, MeetingLogInput, RepresentativeId, time,
        };
        let now = time::now();
        let lena = RepresentativeId::new();
        let attendee = |status| AttendeeInput {
            attendee: Attendee::Representative(lena),
            role: AttendanceRole::Participant,
            status,
        };
        let input = MeetingLogInput {
            meeting: MeetingInput {
                title: "Styrgrupp".into(),
                kind: Some(MeetingKind::SteeringGroup),
                starts_at: Some(now),
                ends_at: Some(now - chrono::Duration::hours(1)),
                ..MeetingInput::default()
            },
            attendees: vec![
                attendee(AttendanceStatus::Absent),
                attendee(AttendanceStatus::Absent),
            ],
            agenda: vec![AgendaItemInput {
                title: "Wexus".into(),
                presenter_ids: vec![lena],
                duration_minutes: Some(0),
                ..AgendaItemInput::default()
            }],
            ..MeetingLogInput::default()
        };
        let Err(errors) = MeetingLog::parse(input, now) else {
            panic!("the input breaks rules");
        };
        assert!(errors.errors().len() >= 4, "{errors:?}");
        for error in errors.errors() {
            assert_ne!(
                explain(Lang::Sv, &error.message),
                sentence(&error.message),
                "{error}"
            );
        }
    }

    #[test]
    fn an_unknown_message_is_kept_as_a_sentence() {
        assert_eq!(explain(Lang::En, "is odd"), "Is odd.");
    }

    #[test]
    fn domain_paths_become_ids() {
        assert_eq!(field_id("agenda[2].presenter_ids[0]"), "agenda-2-presenter_ids-0");
        assert_eq!(field_id("email"), "email");
    }
}
