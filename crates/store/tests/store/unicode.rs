//! One text, one form: a tag or name typed composed (NFC) or decomposed
//! (NFD) is one value, stored composed, and found by either form.

use samverkan_domain::{OrganisationDetails, OrganisationInput, OrganisationKind};
use samverkan_store::{MeetingFilter, OrganisationFilter, PageRequest, Store};

use crate::fixtures::{date, organisation, person, workshop};
use crate::store_tests;

store_tests!(a_tag_typed_composed_or_decomposed_is_one_tag_found_by_either,);

const COMPOSED: &str = "kompetensförsörjning";
/// The same word with each ö as o and a combining diaeresis.
const DECOMPOSED: &str = "kompetensfo\u{0308}rso\u{0308}rjning";

fn tagged(name: &str, tags: &[&str]) -> OrganisationDetails {
    OrganisationDetails::parse(&OrganisationInput {
        name: name.into(),
        kind: Some(OrganisationKind::Company),
        tags: tags.iter().map(|tag| (*tag).to_owned()).collect(),
        ..OrganisationInput::default()
    })
    .unwrap()
}

async fn a_tag_typed_composed_or_decomposed_is_one_tag_found_by_either(store: Store) {
    let both = store
        .create_organisation(tagged("Vattenfall", &[COMPOSED, DECOMPOSED]))
        .await
        .unwrap();
    assert_eq!(both.details.tags.to_strings(), [COMPOSED], "one tag, composed");
    store
        .create_organisation(tagged("GKN Aerospace", &[DECOMPOSED]))
        .await
        .unwrap();
    for typed in [COMPOSED, DECOMPOSED] {
        let filter = OrganisationFilter {
            tag: Some(typed.into()),
            ..OrganisationFilter::default()
        };
        let page = store
            .list_organisations(&filter, &PageRequest::default())
            .await
            .unwrap();
        let names: Vec<&str> = page.items.iter().map(|o| o.details.name.as_str()).collect();
        assert_eq!(names, ["GKN Aerospace", "Vattenfall"], "tag={typed:?}");
    }

    let host = organisation(&store, "Ho\u{0308}gskolan Va\u{0308}st").await;
    assert_eq!(host.details.name.as_str(), "Högskolan Väst");
    let presenter = person(&store, &host, "Lena Lindhe\u{0301}", "Samverkansstrateg").await;
    assert_eq!(presenter.details.full_name.as_str(), "Lena Lindhé");
    for (day, tag) in [(1, COMPOSED), (2, DECOMPOSED)] {
        let mut input = workshop(&host, &presenter, date(2024, 4, day));
        input.meeting.tags = vec![tag.into()];
        input.agenda[0].tags = vec![tag.into()];
        let logged = store.log_meeting(input).await.unwrap();
        assert_eq!(logged.meeting.details.tags.to_strings(), [COMPOSED]);
    }
    for typed in [COMPOSED, DECOMPOSED] {
        let filter = MeetingFilter {
            tag: Some(typed.into()),
            ..MeetingFilter::default()
        };
        let page = store
            .list_meetings(&filter, &PageRequest::default())
            .await
            .unwrap();
        assert_eq!(page.items.len(), 2, "tag={typed:?}");
    }
}
