//! The words synthetic records are made of: places, name parts, titles and
//! topics of partnership work in western Sweden.

use samverkan_domain::OrganisationKind;

/// A place: its name, and the genitive that names are built with
/// ("Trollhättans stad", but "Uddevalla kommun" and "Borås Energi AB").
pub(crate) struct Place {
    pub name: &'static str,
    pub genitive: &'static str,
    /// Called a city ("stad") rather than a municipality ("kommun").
    pub city: bool,
}

const fn place(name: &'static str, genitive: &'static str, city: bool) -> Place {
    Place { name, genitive, city }
}

pub(crate) const PLACES: &[Place] = &[
    place("Trollhättan", "Trollhättans", true),
    place("Vänersborg", "Vänersborgs", false),
    place("Åmål", "Åmåls", false),
    place("Lidköping", "Lidköpings", false),
    place("Uddevalla", "Uddevalla", false),
    place("Borås", "Borås", true),
    place("Skövde", "Skövde", false),
    place("Alingsås", "Alingsås", false),
    place("Kungälv", "Kungälvs", false),
    place("Stenungsund", "Stenungsunds", false),
    place("Mariestad", "Mariestads", false),
    place("Falköping", "Falköpings", false),
    place("Ulricehamn", "Ulricehamns", false),
    place("Lysekil", "Lysekils", false),
    place("Strömstad", "Strömstads", false),
    place("Mellerud", "Melleruds", false),
    place("Lerum", "Lerums", false),
    place("Kungsbacka", "Kungsbacka", false),
    place("Mölndal", "Mölndals", true),
    place("Göteborg", "Göteborgs", true),
    place("Tjörn", "Tjörns", false),
    place("Orust", "Orust", false),
    place("Färgelanda", "Färgelanda", false),
    place("Bengtsfors", "Bengtsfors", false),
    place("Grästorp", "Grästorps", false),
    place("Vara", "Vara", false),
    place("Tidaholm", "Tidaholms", false),
    place("Hjo", "Hjo", false),
    place("Tibro", "Tibro", false),
    place("Töreboda", "Töreboda", false),
    place("Götene", "Götene", false),
    place("Essunga", "Essunga", false),
    place("Herrljunga", "Herrljunga", false),
    place("Vårgårda", "Vårgårda", false),
    place("Ale", "Ale", false),
    place("Lilla Edet", "Lilla Edets", false),
    place("Munkedal", "Munkedals", false),
    place("Sotenäs", "Sotenäs", false),
    place("Tanum", "Tanums", false),
    place("Dals-Ed", "Dals-Eds", false),
    place("Svenljunga", "Svenljunga", false),
    place("Tranemo", "Tranemo", false),
    place("Mark", "Marks", false),
    place("Bollebygd", "Bollebygds", false),
    place("Partille", "Partille", false),
    place("Härryda", "Härryda", false),
    place("Öckerö", "Öckerö", false),
    place("Säffle", "Säffle", false),
    place("Karlstad", "Karlstads", false),
    place("Jönköping", "Jönköpings", false),
    place("Halmstad", "Halmstads", false),
    place("Varberg", "Varbergs", false),
    place("Falkenberg", "Falkenbergs", false),
];

/// How often each kind of organisation occurs, out of 1,000.
pub(crate) const KIND_WEIGHTS: &[(OrganisationKind, u32)] = &[
    (OrganisationKind::Company, 440),
    (OrganisationKind::EducationProvider, 150),
    (OrganisationKind::Municipality, 90),
    (OrganisationKind::Healthcare, 90),
    (OrganisationKind::Association, 100),
    (OrganisationKind::PublicAgency, 60),
    (OrganisationKind::University, 30),
    (OrganisationKind::Other, 40),
];

/// What follows a place's genitive in an organisation's name, by kind.
pub(crate) fn suffixes(kind: OrganisationKind) -> &'static [&'static str] {
    match kind {
        OrganisationKind::Company => COMPANY_SECTORS,
        OrganisationKind::EducationProvider => &[
            "Gymnasium",
            "Tekniska gymnasium",
            "Vuxenutbildning",
            "Yrkeshögskola",
            "Folkhögskola",
            "Naturbruksgymnasium",
            "Kulturskola",
            "Gymnasiesärskola",
            "Vård- och omsorgscollege",
            "Teknikcollege",
        ],
        OrganisationKind::Municipality => &["kommun"],
        OrganisationKind::Healthcare => &[
            "Vårdcentral",
            "Tandvård",
            "Närsjukvård",
            "Rehabenhet",
            "BVC",
            "Ungdomsmottagning",
            "Barnmorskemottagning",
            "Hemsjukvård",
            "Psykiatrimottagning",
        ],
        OrganisationKind::Association => &[
            "Förening",
            "Företagarförening",
            "Näringslivsförening",
            "Idrottsförening",
            "Hembygdsförening",
            "Ungdomsförening",
            "Pensionärsförening",
            "Handelsförening",
            "Konstförening",
            "Scoutkår",
            "Rotaryklubb",
        ],
        OrganisationKind::PublicAgency => &[
            "Räddningstjänst",
            "Arbetsförmedlingskontor",
            "Försäkringskassekontor",
            "Polisområde",
            "Skatteverkskontor",
            "Lantmäterikontor",
            "Migrationskontor",
        ],
        OrganisationKind::University => &["Högskola", "Universitetscentrum", "Lärcentrum"],
        OrganisationKind::Other => &[
            "Science Park",
            "Innovationsarena",
            "Stadsmission",
            "Inkubator",
            "Företagsby",
            "Testbädd",
        ],
    }
}

/// Administrations of a municipality that take part on their own.
pub(crate) const ADMINISTRATIONS: &[&str] = &[
    "Barn- och utbildningsförvaltningen",
    "Socialförvaltningen",
    "Samhällsbyggnadsförvaltningen",
    "Kultur- och fritidsförvaltningen",
    "Näringslivsenheten",
    "Arbetsmarknadsenheten",
    "Vuxenutbildningen",
];

/// A family name's genitive: "Öbergs", but "Yilmaz" and "Haddads".
pub(crate) fn genitive(name: &str) -> String {
    if name.ends_with(['s', 'x', 'z']) {
        name.to_owned()
    } else {
        format!("{name}s")
    }
}

pub(crate) const COMPANY_SECTORS: &[&str] = &[
    "Energi AB",
    "Verkstäder AB",
    "Mekaniska AB",
    "Bygg AB",
    "Plast AB",
    "Teknikkonsult AB",
    "Logistik AB",
    "Trä & Interiör AB",
    "Bostäder AB",
    "Hamn AB",
    "Vatten AB",
    "Gjuteri AB",
    "Elektronik AB",
    "Förpackningar AB",
    "Data & IT AB",
    "Livsmedel AB",
    "Kraft AB",
    "Automation AB",
];

pub(crate) const FIRST_NAMES: &[&str] = &[
    "Åsa",
    "Björn",
    "Göran",
    "Émilie",
    "Jörgen",
    "Märta",
    "Sören",
    "Ingrid",
    "Lena",
    "Anders",
    "Karin",
    "Maria",
    "Erik",
    "Per",
    "Eva",
    "Johan",
    "Anna",
    "Lars",
    "Sofia",
    "Mikael",
    "Helén",
    "André",
    "Linnéa",
    "Håkan",
    "Mårten",
    "Ulla-Britt",
    "Jan-Erik",
    "Kjell",
    "Åke",
    "Östen",
    "Ebba",
    "Elin",
    "Ylva",
    "Tove",
    "Dragan",
    "Amira",
    "Yusuf",
    "Leyla",
    "Minna",
    "Björg",
    "Ängla",
    "Gösta",
    "Renée",
    "Agnès",
    "Jonas",
    "Malin",
    "Fredrik",
    "Cecilia",
    "Magnus",
];

pub(crate) const LAST_NAMES: &[&str] = &[
    "Öberg",
    "Lindhé",
    "Thörn",
    "Sjöström",
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jönsson",
    "Lindström",
    "Åberg",
    "Ström",
    "Bäckström",
    "Hägg",
    "Sandén",
    "Löfgren",
    "Wallén",
    "Ekström",
    "Nyström",
    "Björk",
    "Holmén",
    "Dahlén",
    "Forsén",
    "Strömberg",
    "Hellström",
    "Engström",
    "Åkesson",
    "Fröjd",
    "Kjellén",
    "Rosén",
    "Lindqvist",
    "Hedlund",
    "Söderberg",
    "Mäkinen",
    "Yilmaz",
    "Haddad",
    "Derner",
    "Theliander",
    "Hildefors",
];

/// Titles people hold, by the kind of organisation they act for.
pub(crate) fn titles(kind: OrganisationKind) -> &'static [&'static str] {
    match kind {
        OrganisationKind::University => &[
            "Samverkansstrateg",
            "Rektor",
            "Prorektor",
            "Forskningsledare",
            "Kommunikationschef",
            "Utbildningsledare",
            "Professor",
            "Universitetslektor",
        ],
        OrganisationKind::Company => &[
            "VD",
            "HR-chef",
            "Utvecklingschef",
            "Produktionschef",
            "Kompetensförsörjningsansvarig",
            "Teknisk chef",
            "Platschef",
            "Samverkansansvarig",
        ],
        OrganisationKind::Municipality => &[
            "Kommundirektör",
            "Näringslivsutvecklare",
            "Utvecklingschef",
            "Förvaltningschef",
            "Samverkanssamordnare",
            "Samverkansstrateg",
        ],
        OrganisationKind::EducationProvider => &[
            "Rektor",
            "Biträdande rektor",
            "Studie- och yrkesvägledare",
            "APL-samordnare",
            "Lärare",
            "Förbundsstrateg",
        ],
        OrganisationKind::Healthcare => &[
            "Verksamhetschef",
            "Enhetschef",
            "Utvecklingsledare",
            "Distriktssköterska",
            "HR-chef",
        ],
        OrganisationKind::PublicAgency => &[
            "Sektionschef",
            "Handläggare",
            "Utvecklingschef",
            "Samverkansstrateg",
        ],
        OrganisationKind::Association => &["Ordförande", "Verksamhetsledare", "Kassör", "Styrelseledamot"],
        OrganisationKind::Other => &["Projektledare", "Innovationsrådgivare", "Verksamhetsledare", "VD"],
    }
}

pub(crate) const ORGANISATION_TAGS: &[&str] = &[
    "tillverkning",
    "kompetensförsörjning",
    "hållbarhet",
    "digitalisering",
    "apl",
    "forskning",
    "vård",
    "energi",
    "skola",
    "innovation",
    "fyrbodal",
    "skaraborg",
];

pub(crate) const DESCRIPTIONS: &[&str] = &[
    "Aktiv part i regionens samverkan kring kompetensförsörjning.",
    "Tar emot praktikanter och APL-elever varje termin.",
    "Driver utvecklingsprojekt tillsammans med högskola och kommun.",
    "Deltar i nätverket för hållbar industri i Västra Götaland.",
    "Samverkar med skolor om studiebesök och feriejobb.",
];

/// Themes of partner days and workshops.
pub(crate) const THEMES: &[&str] = &[
    "Kompetensförsörjning i Fyrbodal",
    "Tillsammanskraft",
    "Hållbar industri",
    "Framtidens vård",
    "Digitalisering i skolan",
    "Samverkan kring APL",
    "Forskning som gör skillnad",
    "Energiomställning i Väst",
    "Unga och arbetsmarknaden",
    "Livslångt lärande",
    "AI i offentlig sektor",
    "Attraktiva arbetsgivare",
];

/// Agenda topics.
pub(crate) const TOPICS: &[&str] = &[
    "Välkommen och presentationsrunda",
    "Lägesrapport från styrgruppen",
    "Nya reformer för gymnasie- och vuxenutbildningen",
    "Diskussion: samhällets kompetensbehov",
    "Ungdomsbarometern",
    "Wexus – en samverkansarena för hållbar utveckling",
    "Elevernas framtidsdrömmar",
    "Forskningsprojekt om produktionsteknik",
    "Behov av praktikplatser hösten",
    "Erfarenheter av arbetsplatsförlagt lärande",
    "Gemensam ansökan till Vinnova",
    "Uppföljning av förra mötets beslut",
    "Budget och finansiering",
    "Kommunikation och spridning",
    "Rundvandring i verksamheten",
    "Övriga frågor",
    "Samverkan mellan skola och arbetsliv",
    "Validering av yrkeskompetens",
];

pub(crate) const TOPIC_DESCRIPTIONS: &[&str] = &[
    "Hur utbildningen möter samhällets kompetensbehov, och vad som påverkar ungas val.",
    "Genomgång av läget och nästa steg i samverkan.",
    "Erfarenheter från parterna, med tid för frågor.",
    "Förslag bereds till styrgruppens nästa möte.",
];

pub(crate) const OUTCOME_TEXTS: &[&str] = &[
    "Parterna är överens om att fortsätta samverkan under nästa år.",
    "Beslut att ta fram en gemensam plan för praktikplatser.",
    "Det finns en risk att finansieringen inte räcker hela projekttiden.",
    "Fråga: hur når vi fler elever på yrkesprogrammen?",
    "Insikt: studiebesöken ger eleverna en tydligare bild av yrkena.",
    "Överenskommelse om att dela statistik om kompetensbehov.",
    "Styrgruppen godkände förslaget till aktivitetsplan.",
    "Öppen fråga om vem som äger kommunikationen utåt.",
];

pub(crate) const FOLLOW_UP_TITLES: &[&str] = &[
    "Skicka minnesanteckningar till deltagarna",
    "Boka nästa möte i styrgruppen",
    "Ta fram underlag om praktikplatser",
    "Sammanställ kompetensbehov från företagen",
    "Dela ungdomsbarometerns resultat med partnerna",
    "Kontakta Vinnova om ansökan",
    "Bjud in rektorerna till studiebesök",
    "Uppdatera samverkansavtalet",
    "Planera nästa partnerdag",
    "Återkoppla till eleverna om APL-platser",
    "Ta fram budget för hösten",
    "Skriv nyhetsbrev om samverkan",
];

pub(crate) const MEETING_TAGS: &[&str] = &[
    "kompetensförsörjning",
    "apl",
    "hållbarhet",
    "digitalisering",
    "forskning",
    "tillsammanskraft",
    "styrgrupp",
    "studiebesök",
];

pub(crate) const SUMMARIES: &[&str] = &[
    "Fortsatt samverkan kring kompetensförsörjning; parterna delade erfarenheter och planerade nästa steg.",
    "Mötet gick igenom läget i projektet och kom överens om ansvarsfördelningen.",
    "Engagerade deltagare och många goda idéer om hur samverkan mellan skola och arbetsliv kan stärkas.",
    "Uppföljning av tidigare beslut; några punkter bordlades till nästa möte.",
];

pub(crate) const PARTNERSHIP_GOALS: &[&str] = &[
    "Ömsesidighet och gemensam samhällsnytta; ledningen för varje part deltar aktivt.",
    "Fler praktikplatser och examensarbeten i regionen.",
    "Gemensamma forsknings- och utvecklingsprojekt inom hållbar produktion.",
    "Trygga kompetensförsörjningen på fem års sikt.",
];

/// Lower-case ASCII for addresses: å, ä → a, ö → o, é → e; anything not a
/// letter or digit becomes `sep`, without leading, trailing or doubled ones.
pub(crate) fn slug(text: &str, sep: char) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' | 'ë' => 'e',
            'ü' => 'u',
            c if c.is_ascii_alphanumeric() => c,
            _ => sep,
        };
        if mapped == sep && (out.is_empty() || out.ends_with(sep)) {
            continue;
        }
        out.push(mapped);
    }
    while out.ends_with(sep) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(
            slug("Trollhättans Trä & Interiör AB", '-'),
            "trollhattans-tra-interior-ab"
        );
        assert_eq!(slug("Émilie Lindhé", '.'), "emilie.lindhe");
        assert_eq!(slug("Ulla-Britt Öberg", '.'), "ulla.britt.oberg");
    }

    #[test]
    fn genitives_follow_swedish_spelling() {
        assert_eq!(genitive("Öberg"), "Öbergs");
        assert_eq!(genitive("Yilmaz"), "Yilmaz");
        assert_eq!(genitive("Andersson"), "Anderssons");
        assert_eq!(genitive("Lindhé"), "Lindhés");
    }

    #[test]
    fn weights_add_up_to_a_thousand() {
        assert_eq!(KIND_WEIGHTS.iter().map(|(_, w)| w).sum::<u32>(), 1_000);
        for (kind, _) in KIND_WEIGHTS {
            assert!(!suffixes(*kind).is_empty());
            assert!(!titles(*kind).is_empty());
        }
    }
}
