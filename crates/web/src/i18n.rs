//! Every word the pages show that is not user data, in Swedish (the
//! default) and English, and the Swedish and English ways of writing dates,
//! times and numbers.
//!
//! A label is one line of [`labels!`]: its Swedish and its English text side
//! by side, so a label cannot exist in one language only (the macro does not
//! compile without both), and templates hold no words of their own (a test
//! walks them). Names of kinds and statuses are the reports' own
//! ([`samverkan_report::Translated`]), so a page and a report never call the
//! same thing by two names.

use chrono::{DateTime, NaiveDate, Utc};
use samverkan_domain::time::ZONE;
use samverkan_report::{Lang, display, labels};

macro_rules! labels {
    ($($name:ident: $sv:literal / $en:literal,)+) => {
        /// The fixed texts of the pages in one language.
        #[derive(Debug)]
        pub struct Labels {
            /// The BCP 47 tag, for `<html lang>`.
            pub lang: &'static str,
            $(pub $name: &'static str,)+
        }

        pub static SV: Labels = Labels { lang: "sv", $($name: $sv,)+ };
        pub static EN: Labels = Labels { lang: "en", $($name: $en,)+ };

        impl Labels {
            /// Every label, by name: for the tests.
            #[cfg(test)]
            pub fn all(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($name), self.$name)),+]
            }
        }
    };
}

labels! {
    // The frame of every page.
    service_name: "Samverkan" / "Samverkan",
    skip_to_content: "Till huvudinnehållet" / "Skip to main content",
    main_navigation: "Huvudmeny" / "Main navigation",
    nav_start: "Start" / "Home",
    nav_organisations: "Organisationer" / "Organisations",
    nav_people: "Personer" / "People",
    nav_meetings: "Möten" / "Meetings",
    nav_follow_ups: "Uppföljningar" / "Follow-ups",
    nav_partnerships: "Partnerskap" / "Partnerships",
    nav_engagement: "Engagemang" / "Engagement",
    nav_search: "Sök" / "Search",
    my_account: "Mitt konto" / "My account",
    signed_in_as: "Inloggad som" / "Signed in as",
    sign_out: "Logga ut" / "Sign out",
    accessibility: "Tillgänglighet" / "Accessibility",
    other_language: "In English" / "På svenska",
    other_language_tag: "en" / "sv",
    api_documentation: "API-dokumentation" / "API documentation",
    error_prefix: "Fel:" / "Error:",
    there_is_a_problem: "Det finns ett problem" / "There is a problem",

    // Signing in.
    sign_in: "Logga in" / "Sign in",
    sign_in_lead: "Logga in med din e-postadress och ditt lösenord." / "Sign in with your e-mail address and password.",
    email: "E-postadress" / "E-mail address",
    password: "Lösenord" / "Password",
    wrong_credentials: "Fel e-postadress eller lösenord." / "Wrong e-mail address or password.",
    enter_email: "Ange din e-postadress." / "Enter your e-mail address.",
    enter_password: "Ange ditt lösenord." / "Enter your password.",
    too_many_attempts_title: "För många misslyckade inloggningar" / "Too many failed sign-ins",
    too_many_attempts_until: "Försök igen tidigast" / "Try again at the earliest at",
    signed_out: "Du är utloggad." / "You have signed out.",
    session_ended: "Du behöver logga in igen." / "You need to sign in again.",
    no_password_hint: "Har du inget lösenord? Be en administratör sätta ett." / "No password? Ask an administrator to set one.",

    // Error pages.
    not_found_title: "Sidan finns inte" / "Page not found",
    not_found_body: "Kontrollera adressen. Sidan kan ha flyttats eller tagits bort." / "Check the address. The page may have moved or been removed.",
    forbidden_title: "Du har inte behörighet" / "You do not have access",
    forbidden_body: "Din roll får inte se den här sidan. Kontakta en administratör om du behöver den." / "Your role may not see this page. Contact an administrator if you need it.",
    expired_form_title: "Formuläret har gått ut" / "The form has expired",
    expired_form_body: "Ladda om sidan och försök igen. Inget har sparats." / "Reload the page and try again. Nothing was saved.",
    unavailable_title: "Tjänsten är inte tillgänglig just nu" / "The service is not available right now",
    unavailable_body: "Försök igen om en stund. Inget har sparats." / "Try again in a moment. Nothing was saved.",
    storage_full_title: "Lagringen är full" / "Storage is full",
    storage_full_body: "Inget kunde sparas eftersom databasens disk är full. Kontakta den som driftar Samverkan." / "Nothing could be saved because the database's disk is full. Contact whoever runs Samverkan.",
    internal_error_title: "Något gick fel" / "Something went wrong",
    internal_error_body: "Ett fel uppstod hos oss. Försök igen; kvarstår felet, kontakta den som driftar Samverkan." / "An error occurred on our side. Try again; if it persists, contact whoever runs Samverkan.",
    bad_request_title: "Felaktig förfrågan" / "Bad request",
    bad_request_body: "Adressen eller formuläret innehöll något som inte kunde läsas." / "The address or form held something that could not be read.",
    back_to_start: "Till startsidan" / "Go to the home page",

    // Lists, filters and record pages.
    pages: "Sidor" / "Pages",
    scrollable_table: "Tabell (kan rullas i sidled)" / "Table (scrolls sideways)",
    previous_page: "Föregående" / "Previous",
    next_page: "Nästa" / "Next",
    filter: "Filtrera" / "Filter",
    filter_heading: "Avgränsa listan" / "Narrow the list",
    search_text: "Sök" / "Search",
    search_organisations_hint: "Namn, kortnamn eller ort. Versaler och accenter spelar ingen roll." / "Name, short name or city. Case and accents do not matter.",
    any_kind: "Alla typer" / "All kinds",
    kind: "Typ" / "Kind",
    tag: "Tagg" / "Tag",
    tags: "Taggar" / "Tags",
    include_archived: "Visa även arkiverade" / "Include archived",
    archived: "Arkiverad" / "Archived",
    choose_from_list: "Välj ett alternativ i listan." / "Choose an option from the list.",
    nothing_found: "Inget hittades." / "Nothing was found.",
    none_recorded: "Inget registrerat." / "Nothing recorded.",
    name: "Namn" / "Name",
    short_name: "Kortnamn" / "Short name",
    city: "Ort" / "City",
    website: "Webbplats" / "Website",
    organisation_number: "Organisationsnummer" / "Organisation number",
    description: "Beskrivning" / "Description",
    details_heading: "Uppgifter" / "Details",
    people_now: "Personer" / "People",
    job_title: "Titel" / "Title",
    since: "Sedan" / "Since",
    partnerships_heading: "Partnerskap" / "Partnerships",
    partner: "Partner" / "Partner",
    status: "Status" / "Status",
    open_follow_ups: "Öppna uppföljningar" / "Open follow-ups",
    due: "Förfallodag" / "Due",
    overdue: "Försenad" / "Overdue",
    timeline: "Tidslinje" / "Timeline",
    what: "Vad" / "What",
    when: "När" / "When",
    history: "Historik" / "History",
    who: "Vem" / "Who",
    change: "Ändring" / "Change",
    field: "Fält" / "Field",
    before_value: "Före" / "Before",
    after_value: "Efter" / "After",
    meeting: "Möte" / "Meeting",
    follow_up: "Uppföljning" / "Follow-up",
    partnership: "Partnerskap" / "Partnership",
    organisations_count: "organisationer på sidan" / "organisations on the page",

    // The start page.
    welcome: "Välkommen" / "Welcome",
    search_everything: "Sök i Samverkan" / "Search Samverkan",
    my_open_follow_ups: "Mina öppna uppföljningar" / "My open follow-ups",
    nothing_to_do: "Du har inga öppna uppföljningar." / "You have no open follow-ups.",
    all_my_follow_ups: "Alla mina uppföljningar" / "All my follow-ups",
    all_follow_ups: "Se alla uppföljningar" / "See every follow-up",
    upcoming_meetings: "Kommande möten" / "Upcoming meetings",
    recent_meetings: "Senaste mötena" / "Recent meetings",
    all_meetings: "Alla möten" / "All meetings",
    fading_partners: "Partner som svalnar" / "Partners going quiet",
    fading_partners_hint: "Läget svalnande eller vilande, senast träffade först." / "Cooling or dormant, the most recently met first.",
    no_fading_partners: "Inga partner svalnar just nu." / "No partner is going quiet now.",
    last_meeting: "senaste mötet" / "last meeting",
    see_engagement: "Se engagemanget" / "See the engagement",

    // Engagement.
    engagement_lead: "Hur engagerade partnerna är under en period, jämfört med perioden lika lång före." / "How engaged the partners are over a period, compared with the period of equal length before.",
    period: "Period" / "Period",
    choose_period: "Välj period" / "Choose a period",
    show: "Visa" / "Show",
    this_year: "I år" / "This year",
    last_twelve_months: "Senaste 12 månaderna" / "Last 12 months",
    last_quarter: "Förra kvartalet" / "Last quarter",
    period_invalid: "Perioden måste sluta samma dag som eller efter att den börjar, och vara kortare än tio år." / "The period must end on or after its first day, and be shorter than ten years.",
    headline_figures: "Nyckeltal" / "Key figures",
    charts: "Diagram" / "Charts",
    chart_data: "Siffrorna i diagrammet" / "The chart's figures",
    by_partner: "Per partner" / "By partner",
    sorted_ascending: "sorterad stigande" / "sorted ascending",
    sorted_descending: "sorterad fallande" / "sorted descending",
    sort_by: "Sortera efter" / "Sort by",
    downloads: "Ladda ner rapporten" / "Download the report",
    download_html: "Webbsida för utskrift (HTML)" / "Web page to print (HTML)",
    download_xlsx: "Kalkylblad (Excel, XLSX)" / "Spreadsheet (Excel, XLSX)",
    download_csv: "Tabell (CSV)" / "Table (CSV)",
    download_md: "Ren text (Markdown)" / "Plain text (Markdown)",
    download_json: "Data (JSON)" / "Data (JSON)",
    download_pdf: "Dokument att skriva ut eller skicka (PDF)" / "Document to print or send (PDF)",
    download_attendances_csv: "All närvaro under perioden, en rad per deltagare (CSV)" / "Every attendance of the period, a line per attendee (CSV)",
    download_attendances_ndjson: "All närvaro under perioden (NDJSON, för program)" / "Every attendance of the period (NDJSON, for programs)",

    presented_at: "Har presenterat" / "Presented",
    people_before: "Tidigare personer" / "Former people",
    until: "Till" / "Until",
    partner_brief: "Partnerbrief för utskrift" / "Partner brief to print",
    partner_brief_title: "Partnerbrief" / "Partner brief",
    brief_pdf: "Ladda ner som PDF" / "Download as PDF",
    our_partnerships: "Våra partnerskap" / "Our partnerships",
    attended_most: "Har deltagit mest" / "Attended most",
    meetings_word: "möten" / "meetings",
    meeting_word: "möte" / "meeting",
    last_meetings: "Senaste mötena och vad de gav" / "The last meetings and what came of them",
    no_outcomes: "Inga utfall registrerade." / "No outcomes recorded.",

    // Meetings.
    from_day: "Från och med" / "From",
    to_day: "Till och med" / "To",
    date_hint: "Till exempel 2024-04-26" / "For example 2024-04-26",
    enter_a_date: "Ange ett datum som 2024-04-26." / "Enter a date such as 2024-04-26.",
    to_before_from: "Slutdatumet måste vara samma som eller efter startdatumet." / "The end date must be the same as or after the start date.",
    search_meetings_hint: "Titel, plats eller sammanfattning." / "Title, location or summary.",
    meetings_of: "Möten med" / "Meetings with",
    show_all_meetings: "Visa alla möten" / "Show every meeting",
    date: "Datum" / "Date",
    title: "Titel" / "Title",
    location: "Plats" / "Location",
    starts: "Början" / "Starts",
    ends: "Slut" / "Ends",
    all_day: "Heldag" / "All day",
    host: "Värd" / "Host",
    summary: "Sammanfattning" / "Summary",
    attendees: "Deltagare" / "Attendees",
    attended: "Närvarande" / "Attended",
    unconfirmed: "Inbjudna eller anmälda, närvaro ej noterad" / "Invited or confirmed, attendance not recorded",
    absent: "Frånvarande" / "Absent",
    organisation: "Organisation" / "Organisation",
    organisation_without_named_people: "(organisationen, inga namngivna personer)" / "(the organisation, no one named)",
    agenda: "Dagordning" / "Agenda",
    number: "Nr" / "No.",
    item: "Punkt" / "Item",
    presenters: "Presentatörer" / "Presenters",
    no_presenter: "Ingen presentatör" / "No presenter",
    minutes_long: "min" / "min",
    duration: "Längd" / "Duration",
    outcomes: "Utfall" / "Outcomes",
    from_item: "Från punkt" / "From item",
    follow_ups_heading: "Uppföljningar" / "Follow-ups",
    owner: "Ansvarig" / "Owner",
    minutes_downloads: "Minnesanteckningar" / "Minutes",
    minutes_html: "som webbsida, för utskrift" / "as a web page, to print",
    minutes_md: "som Markdown" / "as Markdown",
    minutes_pdf: "som PDF" / "as PDF",
    // Filters shared by several lists.
    any_organisation: "Alla organisationer" / "All organisations",
    any_status: "Alla statusar" / "All statuses",
    remove_filter: "Ta bort avgränsningen" / "Remove this filter",
    unknown_choice: "Finns inte. Ta bort avgränsningen eller välj en annan." / "Does not exist. Remove this filter or choose another.",
    started: "Startdatum" / "Started",
    ended: "Slutdatum" / "Ended",

    // People.
    search_people_hint: "Namn, titel eller e-postadress. Versaler och accenter spelar ingen roll." / "Name, title or e-mail address. Case and accents do not matter.",
    phone: "Telefon" / "Phone",
    notes: "Anteckningar" / "Notes",
    minor: "Minderårig" / "Minor",
    minor_notice: "Personen är troligen minderårig. Bara namn och organisation visas." / "This person is probably a minor. Only the name and organisation are shown.",
    affiliation_history: "Organisationer över tid" / "Organisations over time",
    from_date: "Från" / "From",
    to_date: "Till" / "To",
    ongoing: "Pågår" / "Ongoing",
    meetings_attended: "Möten personen deltagit i" / "Meetings attended",
    follow_ups_owned: "Uppföljningar personen ansvarar för" / "Follow-ups owned",

    // Follow-ups.
    search_follow_ups_hint: "Titel eller beskrivning. Versaler och accenter spelar ingen roll." / "Title or description. Case and accents do not matter.",
    only_mine: "Bara mina" / "Only mine",
    only_overdue: "Bara försenade" / "Only overdue",
    not_linked_to_person: "Ditt konto är inte kopplat till någon person, så inga uppföljningar är dina." / "Your account is not linked to a person, so no follow-ups are yours.",
    completed_on: "Klar den" / "Completed",
    edit_follow_up: "Ändra uppföljning" / "Edit follow-up",
    archive_follow_up: "Arkivera uppföljning" / "Archive follow-up",
    completed_on_hint: "Bara för en uppföljning som är klar, när den blev klar en annan dag än i dag. Till exempel 2024-05-15" / "Only for a follow-up that is done, when it was done on another day than today. For example 2024-05-15",
    follow_up_archived: "Uppföljningen är arkiverad." / "The follow-up is archived.",
    archive_keeps_follow_up: "Uppföljningens uppgifter och historik, och mötet den kom från." / "The follow-up's details and history, and the meeting it came from.",
    archive_changes_follow_up: "Uppföljningen visas i listor bara när arkiverade tas med och räknas inte längre bland öppna, försenade eller klara i siffrorna för engagemang. Arkiveringen går inte att ångra här." / "The follow-up shows in lists only when archived ones are included, and no longer counts as open, overdue or done in the engagement figures. Archiving cannot be undone here.",

    // Partnerships.
    parties: "Parter" / "Parties",
    responsible: "Ansvarig person" / "Responsible person",
    goals: "Mål" / "Goals",
    add_partnership: "Lägg till partnerskap" / "Add partnership",
    edit_partnership: "Ändra partnerskap" / "Edit partnership",
    archive_partnership: "Arkivera partnerskap" / "Archive partnership",
    first_party: "Första part" / "First party",
    second_party: "Andra part" / "Second party",
    choose_partner_organisation: "Välj en organisation ur listan." / "Choose an organisation from the list.",
    choose_partnership_kind: "Välj vilken sorts partnerskap det är." / "Choose what kind of partnership it is.",
    partnership_status_hint: "Lämnas tom blir partnerskapet ”Aktivt”." / "If left empty, the partnership is \"Active\".",
    partnership_ended_hint: "Bara för ett avslutat partnerskap. Till exempel 2025-12-31" / "Only for an ended partnership. For example 2025-12-31",
    no_person_of_that_name: "Ingen person med det namnet finns i Samverkan (arkiverade och begränsade räknas inte). Kontrollera stavningen, eller lägg till personen först." / "No person of that name is in Samverkan (archived and restricted people do not count). Check the spelling, or add the person first.",
    responsible_hint: "Personens namn, som det står i Samverkan." / "The person's name, as it is in Samverkan.",
    partnership_added: "Partnerskapet har lagts till." / "The partnership has been added.",
    partnership_archived: "Partnerskapet är arkiverat." / "The partnership is archived.",
    archive_keeps_partnership: "Partnerskapets uppgifter och historik, och de möten som hör till det." / "The partnership's details and history, and the meetings that belong to it.",
    archive_changes_partnership: "Nya möten kan inte knytas till partnerskapet, och det visas i listor bara när arkiverade tas med. Arkiveringen går inte att ångra här." / "New meetings cannot be tied to the partnership, and it shows in lists only when archived ones are included. Archiving cannot be undone here.",

    // Search.
    search_everything_hint: "Organisationer, personer, möten, dagordningspunkter, utfall och uppföljningar. Versaler och accenter spelar ingen roll." / "Organisations, people, meetings, agenda items, outcomes and follow-ups. Case and accents do not matter.",
    search_button: "Sök" / "Search",
    hits_organisations: "Organisationer" / "Organisations",
    hits_people: "Personer" / "People",
    hits_meetings: "Möten" / "Meetings",
    hits_agenda_items: "Dagordningspunkter" / "Agenda items",
    hits_outcomes: "Utfall" / "Outcomes",
    hits_follow_ups: "Uppföljningar" / "Follow-ups",
    best_hits_only: "Högst 50 träffar visas, de bästa först." / "At most 50 hits are shown, the best first.",

    // My account.
    role: "Roll" / "Role",
    language: "Språk" / "Language",
    save_language: "Spara språket" / "Save language",
    language_saved: "Språket är sparat." / "Your language is saved.",
    change_password: "Byt lösenord" / "Change password",
    current_password: "Nuvarande lösenord" / "Current password",
    new_password: "Nytt lösenord" / "New password",
    new_password_again: "Nytt lösenord en gång till" / "New password again",
    new_password_hint: "Minst 12 tecken. En fras av flera ord är lätt att minnas och svår att gissa." / "At least 12 characters. A phrase of several words is easy to remember and hard to guess.",
    enter_current_password: "Ange ditt nuvarande lösenord." / "Enter your current password.",
    wrong_current_password: "Det nuvarande lösenordet stämmer inte." / "The current password is wrong.",
    password_too_short: "Lösenordet måste ha minst 12 tecken." / "The password must have at least 12 characters.",
    password_too_long: "Lösenordet får ha högst 256 tecken." / "The password must have at most 256 characters.",
    passwords_differ: "Lösenorden är inte likadana." / "The passwords do not match.",
    password_changed: "Lösenordet är bytt. Du är utloggad överallt utom här." / "Your password is changed. You are signed out everywhere but here.",
    api_tokens: "API-nycklar" / "API tokens",
    api_tokens_lead: "En API-nyckel låter ett program läsa och ändra i Samverkan med din behörighet, genom API:t." / "An API token lets a program read and change Samverkan with your access, through the API.",
    token_name: "Nyckelns namn" / "Token name",
    token_name_hint: "Till exempel programmet som ska använda den." / "For example the program that will use it.",
    token_days: "Giltig antal dagar" / "Valid for days",
    token_days_hint: "Lämna tomt för en nyckel som gäller tills du återkallar den." / "Leave empty for a token that lasts until you revoke it.",
    enter_token_name: "Ange ett namn på nyckeln." / "Enter a name for the token.",
    token_name_too_long: "Namnet får ha högst 100 tecken." / "The name must have at most 100 characters.",
    token_days_invalid: "Ange ett antal dagar från 1 till 3650." / "Enter a number of days from 1 to 3650.",
    create_token: "Skapa nyckel" / "Create token",
    token_created_title: "Din nya API-nyckel" / "Your new API token",
    token_shown_once: "Kopiera nyckeln nu. Den visas bara den här gången och kan inte visas igen." / "Copy the token now. It is shown only this once and cannot be shown again.",
    token_revoked: "Nyckeln är återkallad." / "The token is revoked.",
    back_to_account: "Tillbaka till Mitt konto" / "Back to My account",
    created: "Skapad" / "Created",
    expires: "Går ut" / "Expires",
    last_used: "Senast använd" / "Last used",
    never: "Aldrig" / "Never",
    revoked: "Återkallad" / "Revoked",
    expired: "Har gått ut" / "Expired",
    revoke: "Återkalla" / "Revoke",

    // The accessibility statement (lag 2018:1937, DIGG's model).
    accessibility_title: "Tillgänglighetsredogörelse" / "Accessibility statement",
    accessibility_intro: "Samverkan ska kunna användas av alla. Den här redogörelsen beskriver hur webbplatsen uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig service, kända brister och hur du kan rapportera problem." / "Samverkan should be usable by everyone. This statement describes how the site meets the Swedish act (2018:1937) on accessibility to digital public services, the known shortcomings, and how you can report problems.",
    accessibility_status_heading: "Hur tillgänglig är webbplatsen?" / "How accessible is the site?",
    accessibility_status_body: "Webbplatsen är byggd för att uppfylla WCAG 2.1 nivå AA. Varje sida provas automatiskt med axe-core i en webbläsare vid varje ändring, och alla sidor fungerar utan JavaScript och med enbart tangentbord." / "The site is built to meet WCAG 2.1 level AA. Every page is tested automatically with axe-core in a browser at every change, and every page works without JavaScript and with a keyboard alone.",
    accessibility_known_heading: "Kända brister" / "Known shortcomings",
    accessibility_known_body: "Diagrammen har en textbeskrivning och en tabell med samma siffror bredvid sig; själva bilden går inte att navigera i. Automatiska prov hittar inte alla brister: hör av dig om du stöter på något." / "Charts have a text description and a table of the same figures beside them; the image itself cannot be navigated. Automatic tests do not find every shortcoming: tell us if you meet one.",
    accessibility_contact_heading: "Kontakta oss" / "Contact us",
    accessibility_contact_body: "Om du inte kan använda någon del av webbplatsen, eller vill rapportera en brist, kontakta" / "If you cannot use some part of the site, or want to report a shortcoming, contact",
    accessibility_supervision_heading: "Tillsyn" / "Supervision",
    accessibility_supervision_body: "Myndigheten för digital förvaltning (DIGG) har ansvar för tillsyn över lagen. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du kontakta DIGG:s anmälningsfunktion." / "The Agency for Digital Government (DIGG) supervises the act. If you are not satisfied with how we handle your feedback, you can contact DIGG's reporting service.",
    accessibility_digg_link: "Anmäl bristande tillgänglighet till DIGG" / "Report inaccessibility to DIGG",

    // Forms that change records.
    optional: "(frivilligt)" / "(optional)",
    choose: "Välj" / "Choose",
    save: "Spara" / "Save",
    save_mine_on_top: "Spara mina ändringar ovanpå" / "Save my changes on top",
    cancel: "Avbryt" / "Cancel",
    edit: "Ändra" / "Edit",
    archive: "Arkivera" / "Archive",
    changes_saved: "Ändringarna har sparats." / "Your changes have been saved.",
    saved_by_someone_else: "Någon annan har sparat ändringar medan du redigerade. Inget av det du skrev har sparats ännu." / "Someone else saved changes while you were editing. Nothing you typed has been saved yet.",
    conflict_lead: "Det du skrev finns kvar i formuläret. Vid varje fält där det som är sparat nu skiljer sig från det du skrev visas det sparade. Spara igen för att lägga dina ändringar ovanpå, eller avbryt." / "What you typed is still in the form. Beside each field where what is saved now differs from what you typed, the saved value is shown. Save again to put your changes on top, or cancel.",
    saved_now: "Sparat nu:" / "Saved now:",
    changes_since_opened: "Sparat sedan du öppnade formuläret" / "Saved since you opened the form",
    empty_value: "(tomt)" / "(empty)",

    // People: add, edit, archive.
    add_person: "Lägg till person" / "Add person",
    new_person: "Ny person" / "New person",
    edit_person: "Ändra person" / "Edit person",
    archive_person: "Arkivera person" / "Archive person",
    enter_person_name: "Ange personens namn." / "Enter the person's name.",
    choose_person_organisation: "Välj vilken organisation personen företräder." / "Choose the organisation the person represents.",
    person_name_hint: "För- och efternamn. För en elev räcker förnamnet." / "First and last name. For a pupil the first name will do.",
    affiliation_hint: "Byter personen organisation eller titel avslutas den nuvarande anknytningen och en ny börjar, i dag eller den dag du anger nedan. Den tidigare finns kvar med sina datum." / "If the person changes organisation or title, the current affiliation ends and a new one begins, today or on the day you give below. The earlier one stays, with its dates.",
    moves_on: "Gäller från" / "Applies from",
    moves_on_hint: "Dagen då den nya organisationen eller titeln börjar gälla, till exempel 2024-09-01. Lämna tomt för i dag. Möten som redan är loggade behåller den organisation de har." / "The day the new organisation or title applies from, such as 2024-09-01. Leave empty for today. Meetings already logged keep the organisation they have.",
    minor_hint: "Till exempel en elev. Av en minderårig sparas bara namn och organisation." / "A pupil, for example. Of a minor only the name and organisation are kept.",
    not_for_minors_hint: "Sparas inte för minderåriga." / "Not kept for minors.",
    yes: "Ja" / "Yes",
    no: "Nej" / "No",
    person_added: "Personen har lagts till." / "The person has been added.",
    person_archived: "Personen är arkiverad." / "The person is archived.",
    archive_keeps_person: "Personens uppgifter och historik, anknytningarna med sina datum, mötena personen deltog i och det hen presenterade. Siffrorna för engagemang räknas som förut." / "The person's details and history, the affiliations with their dates, the meetings they attended and what they presented. Engagement figures count as before.",
    archive_changes_person: "Personen kan inte läggas till i nya möten och visas i listor bara när arkiverade tas med. Arkiveringen går inte att ångra här." / "The person cannot be added to new meetings and shows in lists only when archived ones are included. Archiving cannot be undone here.",

    // Users (admins).
    nav_users: "Användare" / "Users",
    add_user: "Lägg till användare" / "Add user",
    new_user: "Ny användare" / "New user",
    user_email_hint: "Adressen användaren loggar in med." / "The address the user signs in with.",
    user_role_hint: "Strateger för in och ändrar, chefer följer upp och ändrar status på uppföljningar, läsare ser rapporterna, administratörer allt." / "Strategists log and change records, managers review and move follow-ups, viewers read the reports, admins everything.",
    enter_user_email: "Ange användarens e-postadress." / "Enter the user's e-mail address.",
    choose_user_role: "Välj vilken roll användaren ska ha." / "Choose the user's role.",
    user_email_taken: "Det finns redan en användare med den e-postadressen." / "A user with that e-mail address already exists.",
    user_added: "Användaren har lagts till. Sätt ett lösenord nedan så att hen kan logga in." / "The user has been added. Set a password below so that they can sign in.",
    disabled: "Avstängd" / "Disabled",
    enabled: "Aktiv" / "Active",
    user_access: "Åtkomst" / "Access",
    user_is_disabled: "Användaren är avstängd: hen kan inte logga in och hens API-nycklar fungerar inte." / "The user is disabled: they cannot sign in and their API tokens do not work.",
    disable_user_lead: "Stäng av användaren för att genast avsluta alla hens inloggningar och stoppa hens API-nycklar. Historiken finns kvar." / "Disable the user to end all their sign-ins at once and stop their API tokens. Their history stays.",
    disable_user: "Stäng av användaren" / "Disable the user",
    enable_user: "Aktivera användaren igen" / "Enable the user again",
    cannot_disable_yourself: "Du kan inte stänga av dig själv. Be en annan administratör." / "You cannot disable yourself. Ask another admin.",
    user_disabled: "Användaren är avstängd." / "The user is disabled.",
    user_enabled: "Användaren är aktiv igen." / "The user is active again.",
    set_password: "Sätt nytt lösenord" / "Set a new password",
    set_password_lead: "Användaren loggas ut överallt och loggar sedan in med det nya lösenordet. Lämna det till hen på ett säkert sätt." / "The user is signed out everywhere and then signs in with the new password. Hand it to them safely.",
    change_role: "Ändra roll" / "Change role",
    user_role_changed: "Rollen är ändrad. Den gäller från användarens nästa sidvisning." / "The role is changed. It applies from the user's next page.",
    cannot_change_own_role: "Du kan inte ändra din egen roll. Be en annan administratör." / "You cannot change your own role. Ask another admin.",
    user_password_set: "Lösenordet är satt. Användaren är utloggad överallt." / "The password is set. The user is signed out everywhere.",

    // A person's data protection (admins).
    data_protection: "Dataskydd" / "Data protection",
    data_protection_lead: "Allt som finns om personen kan hämtas, begränsas eller raderas enligt dataskyddsförordningen (artikel 15, 18 och 17)." / "Everything held about the person can be downloaded, restricted or erased under the GDPR (Articles 15, 18 and 17).",
    personal_data_html: "Personens uppgifter (HTML)" / "The person's data (HTML)",
    personal_data_json: "Personens uppgifter (JSON)" / "The person's data (JSON)",
    restricted: "Begränsad" / "Restricted",
    restrict_person: "Begränsa behandlingen" / "Restrict processing",
    lift_restriction: "Häv begränsningen" / "Lift the restriction",
    person_is_restricted: "Behandlingen är begränsad: personen visas inte i listor, sökningar eller rapporter och kan inte läggas till i nya möten." / "Processing is restricted: the person is in no list, search or report and cannot be added to new meetings.",
    person_restricted: "Behandlingen av personens uppgifter är begränsad." / "Processing of the person's data is restricted.",
    restriction_lifted: "Begränsningen är hävd." / "The restriction is lifted.",
    erase_person: "Radera personen" / "Erase the person",
    erase_cannot_be_undone: "Raderingen går inte att ångra." / "Erasure cannot be undone.",
    erase_goes_heading: "Det här försvinner" / "What goes",
    erase_goes: "Namnet byts mot ”Raderad person” och ett nummer. E-post, telefon, anteckningar och titlar tas bort överallt, också ur historiken och sökningen. Användarkonton kopplade till personen raderas också." / "The name is replaced by \"Raderad person\" and a number. E-mail, phone, notes and titles are removed everywhere, from the history and the search too. User accounts linked to the person are erased as well.",
    erase_stays: "Att någon från organisationen deltog i möten och presenterade, anknytningarnas organisationer och datum, och uppföljningarna. Siffrorna för engagemang och rapporterna räknas som förut. Fritext som nämner personen ändras inte: efter raderingen visas var den finns, för att ändras för hand." / "That someone from the organisation attended meetings and presented, the affiliations' organisations and dates, and the follow-ups. Engagement figures and reports count as before. Free text that mentions the person is not changed: after the erasure you are shown where it is, to edit by hand.",
    erasure_reason: "Skäl" / "Reason",
    erasure_reason_hint: "Till exempel ”Begäran från personen 1 december 2026”. Skälet sparas i loggen, utan personuppgifter." / "For example \"Request from the person, 1 December 2026\". The reason is kept in the log, without personal data.",
    enter_erasure_reason: "Ange skälet till raderingen." / "Enter the reason for the erasure.",
    erase_confirm: "Ja, radera för gott" / "Yes, erase for good",
    person_erased: "Personen är raderad." / "The person is erased.",
    still_mentioned_heading: "Fritext som fortfarande nämner personen" / "Free text that still mentions the person",
    still_mentioned_lead: "Samverkan ändrar inte det någon har skrivit, eftersom det inte kan avgöra vilken person med namnet som avses. Gå igenom texterna nedan och ändra dem för hand." / "Samverkan does not change what someone wrote, since it cannot tell which person of that name is meant. Go through the texts below and edit them by hand.",
    outcome_text: "Utfall" / "Outcome",
    agenda_item_text: "Dagordningspunkt" / "Agenda item",
    back_to_person: "Till personens sida" / "To the person's page",

    // A follow-up's status, changed where it is listed.
    change_status: "Ändra status" / "Change status",
    status_of: "Status för" / "Status of",
    status_changed: "Statusen är ändrad." / "The status has been changed.",
    status_conflict: "Någon annan ändrade uppföljningen innan du sparade, så din ändring är inte sparad. Se vad som gäller nu och välj status igen: det du valde är förvalt." / "Someone else changed the follow-up before you saved, so your change is not saved. See what holds now and choose the status again: your choice is preselected.",

    // Logging a meeting (one form).
    log_meeting: "Logga ett möte" / "Log a meeting",
    log_meeting_lead: "Hela mötet i ett formulär: deltagarna, dagordningen, utfallen och uppföljningarna sparas tillsammans, eller inget alls. Tomma rader hoppas över." / "The whole meeting in one form: the attendees, the agenda, the outcomes and the follow-ups are saved together, or nothing is. Blank rows are skipped.",
    check_form: "Kontrollera formuläret" / "Check the form",
    form_checked: "Formuläret är kontrollerat och alla namn hittades. Inget är sparat ännu." / "The form is checked and every name was found. Nothing is saved yet.",
    the_meeting: "Mötet" / "The meeting",
    meeting_title: "Mötets namn" / "Meeting title",
    meeting_title_hint: "Till exempel ”Strategisk partnerträff”." / "For example \"Strategic partner day\".",
    enter_meeting_title: "Ange mötets namn." / "Enter the meeting's title.",
    choose_meeting_kind: "Välj vilken typ av möte det var." / "Choose what kind of meeting it was.",
    enter_meeting_date: "Ange mötets datum." / "Enter the meeting's date.",
    all_day_hint: "Lämna tiderna tomma för ett heldagsmöte." / "Leave the times empty for an all-day meeting.",
    enter_a_time: "Ange en tid som 09:30." / "Enter a time such as 09:30.",
    enter_start_time: "Ange när mötet började, eller lämna båda tiderna tomma för heldag." / "Enter when the meeting began, or leave both times empty for all day.",
    time_skipped_by_summer_time: "Den tiden finns inte den dagen: klockan ställs fram till sommartid. Välj en annan tid." / "That time does not exist that day: the clocks go forward to summer time. Choose another time.",
    host_organisation: "Värdorganisation" / "Host organisation",
    related_partnerships: "Partnerskap som mötet hör till" / "Partnerships the meeting belongs to",
    meeting_status_hint: "Lämnas tom blir ett möte som har börjat ”Genomfört”, annars ”Planerat”." / "If left empty, a meeting that has begun is \"Held\", otherwise \"Planned\".",
    attendee: "Deltagare" / "Attendee",
    attendees_hint: "En rad per person. Skriv namnet: det söks upp när formuläret skickas (med JavaScript får du förslag medan du skriver). Finns personen inte i Samverkan, kryssa i ”Ny person” och ange organisationen. En organisation som deltog utan namngivna personer: lämna namnet tomt och ange bara organisationen." / "One row per person. Type the name: it is looked up when the form is sent (with JavaScript you get suggestions as you type). If the person is not in Samverkan, tick \"New person\" and give the organisation. An organisation that attended without named people: leave the name empty and give only the organisation.",
    new_person_here: "Ny person: lägg till i Samverkan" / "New person: add to Samverkan",
    choose_new_person_organisation: "Ange vilken organisation den nya personen företräder." / "Enter the organisation the new person represents.",
    pick_people_legend: "Lägg till en organisations personer" / "Add an organisation's people",
    show_people: "Visa personerna" / "Show the people",
    tick_attendees: "Kryssa i dem som deltar" / "Tick those who take part",
    add_ticked: "Lägg till de ikryssade som deltagare" / "Add those ticked as attendees",
    no_more_people_here: "Organisationen har inga fler personer i Samverkan som inte redan står bland deltagarna." / "The organisation has no more people in Samverkan who are not among the attendees already.",
    mark_all_attended: "Markera alla inbjudna och anmälda som närvarande" / "Mark everyone invited or confirmed as attended",
    no_such_person: "Ingen person med det namnet finns i Samverkan (arkiverade och begränsade räknas inte). Kontrollera stavningen och organisationen, eller kryssa i ”Ny person”." / "No person of that name is in Samverkan (archived and restricted ones do not count). Check the spelling and the organisation, or tick \"New person\".",
    several_people_of_that_name: "Flera personer heter så. Ange organisationen för att välja rätt." / "Several people have that name. Give the organisation to choose the right one.",
    no_organisation_of_that_name: "Ingen organisation med det namnet finns i Samverkan. Kontrollera stavningen." / "No organisation of that name is in Samverkan. Check the spelling.",
    organisation_filter_hint: "Skriv organisationens namn. Lämna tomt för alla." / "Type the organisation's name. Leave it empty for all.",
    no_such_organisation: "Ingen organisation med det namnet finns i Samverkan. Kontrollera stavningen, eller lägg till den under ”Nya organisationer”." / "No organisation of that name is in Samverkan. Check the spelling, or add it under \"New organisations\".",
    new_organisations: "Nya organisationer" / "New organisations",
    new_organisations_hint: "Organisationer som ännu inte finns i Samverkan. De läggs till när mötet sparas, och raderna ovan och nedan kan ange dem med namn." / "Organisations not in Samverkan yet. They are added when the meeting is saved, and the rows above and below can name them.",
    organisation_exists_use_it: "Det finns redan en organisation med det namnet: ange den med namn i raderna i stället." / "An organisation with that name exists already: name it in the rows instead.",
    agenda_hint: "Punkterna i ordning. Presentatörer skrivs med namn, som bland deltagarna, åtskilda med kommatecken. En diskussion har ingen." / "The items in order. Presenters are written by name, as among the attendees, separated by commas. A discussion has none.",
    agenda_item_title: "Rubrik" / "Heading",
    enter_agenda_title: "Ange punktens rubrik." / "Enter the item's heading.",
    presenter_not_among_attendees: "Presentatören finns inte bland deltagarna ovan. Lägg till hen där, eller rätta stavningen." / "The presenter is not among the attendees above. Add them there, or correct the spelling.",
    duration_minutes: "Längd i minuter" / "Length in minutes",
    enter_minutes: "Ange längden som ett antal minuter, till exempel 30." / "Enter the length as a number of minutes, such as 30.",
    move_up: "Flytta upp" / "Move up",
    move_down: "Flytta ner" / "Move down",
    remove_row: "Ta bort" / "Remove",
    outcomes_hint: "Det mötet kom fram till: beslut, överenskommelser, insikter, risker och frågor." / "What the meeting arrived at: decisions, agreements, insights, risks and questions.",
    choose_outcome_kind: "Välj vilket slags utfall det är." / "Choose what kind of outcome it is.",
    enter_outcome_text: "Skriv vad utfallet är." / "Write what the outcome is.",
    from_agenda_item: "Från dagordningspunkt" / "From agenda item",
    none_chosen: "Ingen" / "None",
    follow_ups_hint: "Vem gör vad till när. Ansvarig skrivs med namn." / "Who does what by when. The owner is written by name.",
    follow_up_title: "Vad ska göras" / "What is to be done",
    enter_follow_up_title: "Skriv vad som ska göras." / "Write what is to be done.",
    due_date: "Klart senast (ÅÅÅÅ-MM-DD)" / "Due by (YYYY-MM-DD)",
    from_outcome: "Från utfall" / "From outcome",
    details: "Detaljer" / "Details",
    save_meeting: "Spara mötet" / "Save the meeting",
    save_draft: "Spara som utkast" / "Save as draft",
    more_rows: "Fler rader" / "More rows",
    untitled_meeting: "Möte utan namn" / "Untitled meeting",
    draft_saved: "Utkastet är sparat. Bara du ser det: det finns under ”Mina utkast” på startsidan tills du sparar mötet eller tar bort utkastet. Det räknas inte i någon siffra." / "The draft is saved. Only you see it: it is under \"My drafts\" on the home page until you save the meeting or delete the draft. It counts in no figure.",
    my_drafts: "Mina utkast" / "My drafts",
    draft_changed: "ändrat" / "changed",
    delete_draft: "Ta bort utkastet" / "Delete the draft",
    draft_deleted: "Utkastet är borttaget." / "The draft is deleted.",
    form_kept_after_sign_in: "Du hade blivit utloggad innan formuläret skickades. Det du skrev finns kvar nedan, men inget är sparat: kontrollera och spara mötet." / "You had been signed out before the form was sent. What you typed is below, but nothing is saved: check it and save the meeting.",
    form_not_kept: "Inget sparat formulär hittades: det kan ha hämtats redan eller vara äldre än ett dygn." / "No kept form was found: it may have been taken already or be older than a day.",
    meeting_logged: "Mötet är sparat, med deltagare, dagordning, utfall och uppföljningar." / "The meeting is saved, with its attendees, agenda, outcomes and follow-ups.",
    edit_meeting: "Ändra mötet" / "Edit the meeting",
    edit_meeting_lead: "Allt som mötet har loggat, i samma formulär som när det loggades. Ändringarna sparas tillsammans, eller inga alls. Töm en rad för att ta bort den." / "Everything the meeting has logged, in the same form as when it was logged. The changes are saved together, or none is. Empty a row to remove it.",
    save_changes: "Spara ändringarna" / "Save the changes",
    record_attendance: "Registrera närvaro" / "Record attendance",
    record_attendance_lead: "Välj för var och en om de kom. Allt sparas på en gång." / "Choose for each whether they came. Everything is saved at once.",
    save_attendance: "Spara närvaron" / "Save the attendance",
    mark_all_attended_and_save: "Markera alla inbjudna och anmälda som närvarande och spara" / "Mark everyone invited or confirmed as attended, and save",
    attendance_saved: "Närvaron är sparad." / "The attendance is saved.",
    attendance_saved_by_someone_else: "Någon annan har sparat mötet medan du registrerade närvaron. Inget av det du valde har sparats ännu." / "Someone else saved the meeting while you were recording attendance. Nothing you chose has been saved yet.",
    attendance_conflict_lead: "Det du valde finns kvar. Där det sparade nu skiljer sig visas det vid raden. Spara igen för att lägga dina val ovanpå." / "What you chose is still there. Where what is saved now differs, it is shown at the row. Save again to put your choices on top.",
    presenter_cannot_be_absent: "Personen presenterar en punkt på dagordningen och kan inte vara frånvarande. Ändra dagordningen först." / "This person presents an agenda item and cannot be absent. Change the agenda first.",
    logged_follow_ups: "Mötets uppföljningar" / "The meeting's follow-ups",
    logged_follow_ups_hint: "Varje uppföljning ändras på sin egen sida. Raderna nedan lägger till nya." / "Each follow-up is changed on its own page. The rows below add new ones.",

    // Organisations: add, edit, archive.
    add_organisation: "Lägg till organisation" / "Add organisation",
    new_organisation: "Ny organisation" / "New organisation",
    edit_organisation: "Ändra organisation" / "Edit organisation",
    archive_organisation: "Arkivera organisation" / "Archive organisation",
    enter_organisation_name: "Ange organisationens namn." / "Enter the organisation's name.",
    choose_organisation_kind: "Välj vilken typ av organisation det är." / "Choose what kind of organisation it is.",
    organisation_name_hint: "Hela namnet, som organisationen själv skriver det." / "The full name, as the organisation itself writes it.",
    short_name_hint: "Till exempel en förkortning som HV." / "For example an abbreviation such as HV.",
    organisation_number_hint: "Tio siffror, till exempel 202100-2379." / "Ten digits, such as 202100-2379.",
    website_hint: "Hela adressen, med https://." / "The whole address, with https://.",
    tags_hint: "Skilj taggarna åt med kommatecken, till exempel hamn, teknik." / "Separate the tags with commas, such as harbour, technology.",
    organisation_added: "Organisationen har lagts till." / "The organisation has been added.",
    organisation_archived: "Organisationen är arkiverad." / "The organisation is archived.",
    archive_keeps_heading: "Det här finns kvar" / "What stays",
    archive_keeps_organisation: "Organisationens uppgifter och historik, de möten den var värd för eller deltog i, dess uppföljningar och personernas anknytningar med sina datum. Siffrorna för engagemang räknas som förut." / "The organisation's details and history, the meetings it hosted or took part in, its follow-ups and its people's affiliations with their dates. Engagement figures count as before.",
    archive_changes_heading: "Det här ändras" / "What changes",
    archive_changes_organisation: "Organisationen kan inte läggas till i nya möten, visas i listor bara när arkiverade tas med, och dess namn blir ledigt för en ny organisation. Arkiveringen går inte att ångra här." / "The organisation cannot be added to new meetings, shows in lists only when archived ones are included, and its name becomes free for a new organisation. Archiving cannot be undone here.",
    archive_confirm: "Ja, arkivera" / "Yes, archive",
}

/// The labels of a language.
pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Sv => &SV,
        Lang::En => &EN,
    }
}

/// A day, however a template holds it (by value or behind references).
pub trait Day {
    fn day(&self) -> NaiveDate;
}

impl Day for NaiveDate {
    fn day(&self) -> NaiveDate {
        *self
    }
}

impl<T: Day> Day for &T {
    fn day(&self) -> NaiveDate {
        (*self).day()
    }
}

/// Dates, times and numbers as a page in `lang` writes them: Swedish and
/// English conventions, 24-hour clock, every instant in Europe/Stockholm.
#[derive(Debug, Clone, Copy)]
pub struct Fmt {
    pub lang: Lang,
}

impl Fmt {
    /// "26 april 2024" / "26 April 2024".
    pub fn date(&self, date: impl Day) -> String {
        labels::long_date(self.lang, date.day())
    }

    /// The Stockholm day of an instant, as [`Self::date`] writes it.
    pub fn day(&self, instant: &DateTime<Utc>) -> String {
        labels::long_date(self.lang, samverkan_domain::time::local_date(*instant))
    }

    /// "26 april 2024 kl. 09:30" / "26 April 2024, 09:30", in Stockholm.
    pub fn date_time(&self, instant: &DateTime<Utc>) -> String {
        let local = instant.with_timezone(&ZONE);
        let date = labels::long_date(self.lang, local.date_naive());
        let time = local.format("%H:%M");
        match self.lang {
            Lang::Sv => format!("{date} kl. {time}"),
            Lang::En => format!("{date}, {time}"),
        }
    }

    /// "09:30": a time of day in Stockholm.
    pub fn time(&self, instant: &DateTime<Utc>) -> String {
        instant.with_timezone(&ZONE).format("%H:%M").to_string()
    }

    /// The machine-readable form for `<time datetime>`.
    pub fn iso(&self, instant: &DateTime<Utc>) -> String {
        instant.with_timezone(&ZONE).to_rfc3339()
    }

    /// "1 234" / "1,234".
    pub fn number(&self, number: &i64) -> String {
        display::integer(self.lang, *number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_text_in_both_languages_and_they_differ() {
        // Words that are the same in both languages.
        const SAME: &[&str] = &[
            "service_name",
            "status",
            "partner",
            "organisation",
            "minutes_long",
            "period",
            "download_json",
        ];
        for ((name, sv), (_, en)) in SV.all().into_iter().zip(EN.all()) {
            assert!(!sv.trim().is_empty() && !en.trim().is_empty(), "{name} is empty");
            if !SAME.contains(&name) {
                assert_ne!(sv, en, "{name} is not translated");
            }
        }
    }

    #[test]
    fn dates_and_times_follow_each_language() {
        use chrono::TimeZone;
        let instant = Utc.with_ymd_and_hms(2024, 4, 26, 7, 30, 0).unwrap();
        assert_eq!(
            Fmt { lang: Lang::Sv }.date_time(&instant),
            "26 april 2024 kl. 09:30"
        );
        assert_eq!(Fmt { lang: Lang::En }.date_time(&instant), "26 April 2024, 09:30");
        let winter = Utc.with_ymd_and_hms(2024, 12, 31, 23, 15, 0).unwrap();
        assert_eq!(
            Fmt { lang: Lang::Sv }.date_time(&winter),
            "1 januari 2025 kl. 00:15"
        );
        // A no-break space between groups, so a number never wraps apart.
        assert_eq!(Fmt { lang: Lang::Sv }.number(&1234567), "1\u{a0}234\u{a0}567");
    }
}
