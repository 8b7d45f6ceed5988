//! Every word a report prints that is not user data, in Swedish and English:
//! headings, column labels, month names and the names of the model's kinds
//! and statuses. Swedish is the default, since leadership reads Swedish.

use chrono::{Datelike, NaiveDate};
use samverkan_domain::{
    AttendanceRole, AttendanceStatus, FollowUpStatus, Health, Language, MeetingKind, MeetingStatus,
    OrganisationKind, OutcomeKind, PartnershipKind, PartnershipStatus, Role,
};
use serde::Serialize;

/// The language of a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Sv,
    En,
}

/// A user's language is the language of the reports they read.
impl From<Language> for Lang {
    fn from(language: Language) -> Self {
        match language {
            Language::Sv => Self::Sv,
            Language::En => Self::En,
        }
    }
}

impl Lang {
    pub const ALL: [Self; 2] = [Self::Sv, Self::En];

    /// The BCP 47 tag (`html lang`, query parameters).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sv => "sv",
            Self::En => "en",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|lang| lang.as_str() == raw.trim())
    }

    const fn pick(self, sv: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::Sv => sv,
            Self::En => en,
        }
    }
}

macro_rules! labels {
    ($($label:ident => $sv:literal, $en:literal;)+) => {
        /// A fixed text of the reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Label {
            $($label),+
        }

        impl Label {
            pub const ALL: &'static [Self] = &[$(Self::$label),+];

            pub const fn text(self, lang: Lang) -> &'static str {
                match self {
                    $(Self::$label => lang.pick($sv, $en)),+
                }
            }
        }
    };
}

labels! {
    // Shared by every report.
    Summary => "Sammanfattning", "Summary";
    Period => "Period", "Period";
    Month => "Månad", "Month";
    Meetings => "Möten", "Meetings";
    Attendances => "Närvaro", "Attendances";
    Organisation => "Organisation", "Organisation";
    Organisations => "Organisationer", "Organisations";
    Partner => "Partner", "Partner";
    Date => "Datum", "Date";
    Title => "Titel", "Title";
    Kind => "Typ", "Kind";
    Status => "Status", "Status";
    Count => "Antal", "Count";
    Nothing => "Inget registrerat.", "Nothing recorded.";
    // The engagement report.
    EngagementReport => "Engagemangsrapport", "Engagement report";
    MeetingsPerMonth => "Möten per månad", "Meetings per month";
    EngagementByPartner => "Engagemang per partner", "Engagement by partner";
    OpenFollowUps => "Öppna uppföljningar", "Open follow-ups";
    OpenFollowUpsByOwner => "Öppna uppföljningar per ansvarig", "Open follow-ups by owner";
    Overdue => "Försenade", "Overdue";
    NoOwner => "Utan ansvarig", "No owner";
    MeetingsHosted => "Möten som värd", "Meetings hosted";
    MeetingsAttended => "Möten närvarat", "Meetings attended";
    PartnerDays => "Partnerträffar", "Partner days";
    OrganisationsEngaged => "Engagerade organisationer", "Organisations engaged";
    RepresentativesEngaged => "Engagerade företrädare", "Representatives engaged";
    Presentations => "Presentationer", "Presentations";
    FollowUpsOpened => "Nya uppföljningar", "Follow-ups opened";
    FollowUpsDone => "Klara uppföljningar", "Follow-ups done";
    CompletionRate => "Andel klara uppföljningar", "Follow-up completion";
    MedianDaysToComplete => "Mediantid till klar (dagar)", "Median days to complete";
    FirstMeeting => "Första mötet", "First meeting";
    LastMeeting => "Senaste mötet", "Last meeting";
    DaysSinceLastMeeting => "Dagar sedan senaste mötet", "Days since last meeting";
    Health => "Läge", "Health";
    Figure => "Mått", "Figure";
    ThisPeriod => "Perioden", "This period";
    PreviousPeriod => "Föregående period", "Previous period";
    Change => "Förändring", "Change";
    VersusPrevious => "mot föregående period", "against the previous period";
    Unchanged => "±0", "±0";
    PercentagePoints => "procentenheter", "percentage points";
    NoPreviousFigure => "ingen siffra för föregående period", "no figure for the previous period";
    NoFigureThisPeriod => "ingen siffra för perioden", "no figure for this period";
    ChartData => "Siffrorna i diagrammet", "The chart's figures";
    Page => "Sida", "Page";
    Of => "av", "of";
    Top => "topp", "top";
    OldestOverdue => "Äldst försenad", "Oldest overdue";
    // The minutes of a meeting.
    Minutes => "Minnesanteckningar", "Minutes";
    Start => "Början", "Starts";
    End => "Slut", "Ends";
    Location => "Plats", "Location";
    Host => "Värd", "Host";
    Attendees => "Deltagare", "Attendees";
    Present => "Närvarande", "Attended";
    Unconfirmed => "Inbjudna eller anmälda, närvaro ej noterad", "Invited or confirmed, attendance not recorded";
    Absent => "Frånvarande", "Absent";
    OrganisationOnly => "(organisationen, inga namngivna personer)", "(the organisation, no one named)";
    Agenda => "Dagordning", "Agenda";
    Number => "Nr", "No.";
    Item => "Punkt", "Item";
    Description => "Beskrivning", "Description";
    Presenters => "Föredragande", "Presenters";
    DurationMinutes => "Minuter", "Minutes";
    Outcomes => "Utfall", "Outcomes";
    Text => "Text", "Text";
    AgendaItem => "Dagordningspunkt", "Agenda item";
    FollowUps => "Uppföljningar", "Follow-ups";
    Task => "Uppgift", "Task";
    Owner => "Ansvarig", "Owner";
    Due => "Senast", "Due";
    AllDay => "heldag", "all day";
    // The partner brief of an organisation.
    PartnerBrief => "Partnerbrief", "Partner brief";
    City => "Ort", "City";
    Website => "Webbplats", "Website";
    OurPartnerships => "Våra partnerskap", "Our partnerships";
    Goals => "Mål", "Goals";
    AttendedMost => "Har deltagit mest", "Attended most";
    LastMeetings => "Senaste mötena och vad de gav", "The last meetings and what came of them";
    NoOutcomes => "Inga utfall registrerade.", "No outcomes recorded.";
    IsOverdue => "försenad", "overdue";
    // The export of a person's data (GDPR Art. 15).
    PersonalData => "Personuppgifter", "Personal data";
    PersonalDataMade => "Utdrag ur Samverkan", "Extract from Samverkan";
    Record => "Uppgifter", "Record";
    Field => "Uppgift", "Field";
    FieldValue => "Värde", "Value";
    Name => "Namn", "Name";
    Email => "E-post", "E-mail";
    Phone => "Telefon", "Phone";
    Notes => "Anteckningar", "Notes";
    Minor => "Minderårig", "Minor";
    Yes => "Ja", "Yes";
    No => "Nej", "No";
    Created => "Skapad", "Created";
    Updated => "Ändrad", "Changed";
    Archived => "Arkiverad", "Archived";
    Restricted => "Begränsad behandling", "Processing restricted";
    Erased => "Raderad", "Erased";
    Affiliations => "Uppdrag", "Affiliations";
    From => "Från", "From";
    Until => "Till", "Until";
    Meeting => "Möte", "Meeting";
    Role => "Roll", "Role";
    Attendance => "Närvaro", "Attendance";
    ItemsPresented => "Punkter du har föredragit", "Agenda items presented";
    FollowUpsOwned => "Uppföljningar du ansvarar för", "Follow-ups owned";
    UserAccounts => "Användarkonton", "User accounts";
    DisplayName => "Visningsnamn", "Display name";
    Disabled => "Avstängd", "Disabled";
    Tokens => "API-nycklar", "API tokens";
    Expires => "Upphör", "Expires";
    Revoked => "Återkallad", "Revoked";
    LastUsed => "Senast använd", "Last used";
    Sessions => "Inloggningar", "Sessions";
    LastSeen => "Senast aktiv", "Last seen";
    Address => "Adress", "Address";
    Browser => "Webbläsare", "Browser";
    AuditTrail => "Ändringshistorik", "Audit trail";
    When => "När", "When";
    Who => "Vem", "Who";
    What => "Vad", "What";
    Before => "Före", "Before";
    After => "Efter", "After";
    Processing => "Varför och hur länge uppgifterna behandlas", "Why and how long the data is processed";
    Controller => "Personuppgiftsansvarig", "Controller";
    Purpose => "Ändamål", "Purpose";
    PurposeText => "Att dokumentera och följa upp samverkan mellan organisationer: möten, deltagare, dagordningar, utfall och uppföljningar.", "To record and follow up partnership work between organisations: meetings, attendees, agendas, outcomes and follow-ups.";
    LegalBasis => "Rättslig grund", "Legal basis";
    PublicTask => "Uppgift av allmänt intresse eller myndighetsutövning (artikel 6.1 e)", "A task carried out in the public interest (Article 6(1)(e))";
    LegitimateInterest => "Berättigat intresse (artikel 6.1 f)", "Legitimate interest (Article 6(1)(f))";
    Retention => "Lagringstid", "Retention";
    Rights => "Dina rättigheter", "Your rights";
    RightsText => "Du har rätt att få tillgång till dina uppgifter, få felaktiga uppgifter rättade, få dem raderade, begära att behandlingen begränsas och invända mot den. Du kan klaga hos Integritetsskyddsmyndigheten (IMY).", "You have the right to access your data, to have it corrected, to have it erased, to have its processing restricted and to object to it. You may lodge a complaint with the Swedish Authority for Privacy Protection (IMY).";
}

const MONTHS_SV: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A month's name (1 = January); Swedish writes month names lower-case.
pub fn month_name(lang: Lang, month: u32) -> &'static str {
    let months = match lang {
        Lang::Sv => &MONTHS_SV,
        Lang::En => &MONTHS_EN,
    };
    usize::try_from(month)
        .ok()
        .and_then(|m| m.checked_sub(1))
        .and_then(|i| months.get(i))
        .copied()
        .unwrap_or("")
}

/// "april 2024" / "April 2024": a category of meetings per month.
pub fn month_of_year(lang: Lang, year: i32, month: u32) -> String {
    format!("{} {year}", month_name(lang, month))
}

/// "26 april 2024" / "26 April 2024".
pub fn long_date(lang: Lang, date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        month_name(lang, date.month()),
        date.year()
    )
}

/// "1 januari 2025 – 31 mars 2025": a report's period, both days included.
pub fn period(lang: Lang, from: NaiveDate, to: NaiveDate) -> String {
    format!("{} – {}", long_date(lang, from), long_date(lang, to))
}

/// The name of a kind or status in a report's language.
pub trait Translated {
    fn label(self, lang: Lang) -> &'static str;
}

macro_rules! translated {
    ($name:ident { $($variant:ident => $sv:literal, $en:literal;)+ }) => {
        impl Translated for $name {
            fn label(self, lang: Lang) -> &'static str {
                match self {
                    $($name::$variant => lang.pick($sv, $en)),+
                }
            }
        }
    };
}

translated!(MeetingKind {
    PartnerDay => "Partnerträff", "Partner day";
    Workshop => "Workshop", "Workshop";
    SteeringGroup => "Styrgrupp", "Steering group";
    OneToOne => "Enskilt möte", "One-to-one";
    SiteVisit => "Studiebesök", "Site visit";
    Other => "Annat", "Other";
});
translated!(MeetingStatus {
    Planned => "Planerat", "Planned";
    Held => "Genomfört", "Held";
    Cancelled => "Inställt", "Cancelled";
});
translated!(AttendanceRole {
    Host => "värd", "host";
    Organiser => "arrangör", "organiser";
    Presenter => "föredragande", "presenter";
    Participant => "deltagare", "participant";
    Guest => "gäst", "guest";
});
translated!(AttendanceStatus {
    Invited => "Inbjuden", "Invited";
    Confirmed => "Anmäld", "Confirmed";
    Attended => "Närvarade", "Attended";
    Absent => "Frånvarande", "Absent";
});
translated!(OutcomeKind {
    Decision => "Beslut", "Decision";
    Agreement => "Överenskommelse", "Agreement";
    Insight => "Insikt", "Insight";
    Risk => "Risk", "Risk";
    Question => "Fråga", "Question";
});
translated!(FollowUpStatus {
    Open => "Öppen", "Open";
    InProgress => "Pågår", "In progress";
    Done => "Klar", "Done";
    Cancelled => "Avbruten", "Cancelled";
});
translated!(Health {
    New => "Ny", "New";
    Active => "Aktiv", "Active";
    Cooling => "Svalnande", "Cooling";
    Dormant => "Vilande", "Dormant";
});
translated!(PartnershipKind {
    Strategic => "Strategiskt", "Strategic";
    Project => "Projekt", "Project";
    Other => "Annat", "Other";
});
translated!(PartnershipStatus {
    Prospect => "Möjligt", "Prospect";
    Active => "Aktivt", "Active";
    Paused => "Vilande", "Paused";
    Ended => "Avslutat", "Ended";
});
translated!(Role {
    Admin => "Administratör", "Administrator";
    Strategist => "Strateg", "Strategist";
    Manager => "Chef", "Manager";
    Viewer => "Läsare", "Viewer";
});
translated!(Language {
    Sv => "Svenska", "Swedish";
    En => "Engelska", "English";
});
translated!(OrganisationKind {
    University => "Lärosäte", "University";
    Company => "Företag", "Company";
    Municipality => "Kommun", "Municipality";
    Healthcare => "Hälso- och sjukvård", "Healthcare";
    EducationProvider => "Utbildningsanordnare", "Education provider";
    PublicAgency => "Myndighet", "Public agency";
    Association => "Förening", "Association";
    Other => "Annan", "Other";
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_both_languages() {
        for label in Label::ALL {
            assert!(!label.text(Lang::Sv).is_empty(), "{label:?}");
            assert!(!label.text(Lang::En).is_empty(), "{label:?}");
        }
        // Most labels differ between the languages; equal ones are words both share.
        let same: Vec<&Label> = Label::ALL
            .iter()
            .filter(|label| label.text(Lang::Sv) == label.text(Lang::En))
            .collect();
        assert!(same.len() <= 6, "suspiciously many untranslated labels: {same:?}");
    }

    #[test]
    fn every_kind_and_status_has_both_languages() {
        let sv_kinds: Vec<&str> = MeetingKind::ALL.iter().map(|k| k.label(Lang::Sv)).collect();
        assert_eq!(
            sv_kinds,
            [
                "Partnerträff",
                "Workshop",
                "Styrgrupp",
                "Enskilt möte",
                "Studiebesök",
                "Annat"
            ]
        );
        for status in FollowUpStatus::ALL {
            assert_ne!(status.label(Lang::Sv), status.label(Lang::En));
        }
        for status in AttendanceStatus::ALL {
            assert_ne!(status.label(Lang::Sv), status.label(Lang::En));
        }
        for kind in OrganisationKind::ALL {
            assert!(!kind.label(Lang::En).is_empty());
        }
    }

    #[test]
    fn swedish_months_are_lower_case() {
        let sv: Vec<&str> = (1..=12).map(|m| month_name(Lang::Sv, m)).collect();
        assert_eq!(sv, MONTHS_SV);
        assert!(sv.iter().all(|m| m.chars().all(char::is_lowercase)));
        assert_eq!(month_name(Lang::En, 5), "May");
        assert_eq!(month_name(Lang::Sv, 13), "");
        assert_eq!(month_of_year(Lang::Sv, 2024, 4), "april 2024");
    }

    #[test]
    fn dates_and_periods_read_naturally() {
        let from = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
        assert_eq!(period(Lang::Sv, from, to), "1 januari 2025 – 31 mars 2025");
        assert_eq!(period(Lang::En, from, to), "1 January 2025 – 31 March 2025");
    }

    #[test]
    fn languages_parse_from_their_tags() {
        assert_eq!(Lang::parse("sv"), Some(Lang::Sv));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::default(), Lang::Sv);
    }
}
