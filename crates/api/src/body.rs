//! Request bodies, held to their own schema before they are parsed.
//!
//! poem-openapi's `Json<T>` parses with `ParseFromJSON`, and its `String`
//! takes a number or a boolean as the text of it (`12345` becomes "12345",
//! `1e3` "1000.0", `true` "true"), although the document says "string".
//! Its errors, moreover, name the type that failed, never the field. So
//! every request body is a [`Body<T>`]: the JSON is first checked against
//! the very schema the document publishes for `T` (types, enum values,
//! required fields, `null`), every mismatch is answered at once as a 400
//! problem naming its field path (`attendees[1].organisation_id`), and only
//! a body that passes is parsed into `T`.
//!
//! `null` is refused wherever the schema does not say `nullable`: as the
//! body, as an item of a list, and as a field, also one that may be left
//! out (a `PATCH` of `{"name": null}` would otherwise read as "leave the
//! name" and bump the version for nothing). The fields whose `null` means
//! "clear it" (`MaybeUndefined`, in a `PATCH`) are `nullable` in the
//! document.

use std::any::TypeId;
use std::collections::{BTreeMap, HashMap};
use std::sync::{LazyLock, PoisonError, RwLock};

use poem::{FromRequest, IntoResponse, Request, RequestBody};
use poem_openapi::error::ParseRequestPayloadError;
use poem_openapi::payload::{Json, ParsePayload, Payload};
use poem_openapi::registry::{MetaSchema, MetaSchemaRef, Registry};
use poem_openapi::types::{ParseFromJSON, Type};
use samverkan_domain::ValidationErrors;
use serde_json::Value;

use crate::problem::ApiError;

/// A JSON request body: on the wire and in the document exactly as
/// `Json<T>`, but checked against `T`'s schema first (see the module).
#[derive(Debug, Clone)]
pub struct Body<T>(pub T);

impl<T: Type> Payload for Body<T> {
    const CONTENT_TYPE: &'static str = Json::<T>::CONTENT_TYPE;

    fn check_content_type(content_type: &str) -> bool {
        Json::<T>::check_content_type(content_type)
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: ParseFromJSON + 'static> ParsePayload for Body<T> {
    const IS_REQUIRED: bool = T::IS_REQUIRED;

    async fn from_request(request: &Request, body: &mut RequestBody) -> poem::Result<Self> {
        let data = Vec::<u8>::from_request(request, body).await?;
        // As `Json<T>` does: an empty body is `null` (and refused below).
        let value = if data.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&data).map_err(|error| ParseRequestPayloadError {
                reason: error.to_string(),
            })?
        };
        let errors = check::<T>(&value);
        if !errors.is_empty() {
            return Err(poem::Error::from_response(
                ApiError::bad_body(errors).into_response(),
            ));
        }
        let value = T::parse_from_json(Some(value)).map_err(|error| ParseRequestPayloadError {
            reason: error.into_message(),
        })?;
        Ok(Self(value))
    }
}

poem_openapi::impl_apirequest_for_payload!(Body<T>, T: ParseFromJSON + 'static);

/// What `T`'s schema needs to be checked: the schema itself and the named
/// schemas it refers to.
struct Schemas {
    root: MetaSchemaRef,
    named: BTreeMap<String, MetaSchema>,
}

/// The schemas of `T`, built once per body type for the life of the process.
fn schemas<T: Type + 'static>() -> &'static Schemas {
    // A `static` in a generic function is one for all `T`, hence the map.
    static BUILT: LazyLock<RwLock<HashMap<TypeId, &'static Schemas>>> = LazyLock::new(Default::default);
    let id = TypeId::of::<T>();
    if let Some(schemas) = BUILT.read().unwrap_or_else(PoisonError::into_inner).get(&id) {
        return schemas;
    }
    let mut registry = Registry::new();
    T::register(&mut registry);
    // Leaked on purpose: one per request body type (a score of them), each
    // needed until the process ends.
    let built: &'static Schemas = Box::leak(Box::new(Schemas {
        root: T::schema_ref(),
        named: registry.schemas,
    }));
    BUILT
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(id)
        .or_insert(built)
}

/// Every place where `value` does not have the type `T`'s schema says.
fn check<T: Type + 'static>(value: &Value) -> ValidationErrors {
    let schemas = schemas::<T>();
    let mut checker = Checker {
        named: &schemas.named,
        errors: ValidationErrors::new(),
    };
    checker.check_ref("", value, &schemas.root);
    checker.errors
}

struct Checker<'a> {
    named: &'a BTreeMap<String, MetaSchema>,
    errors: ValidationErrors,
}

impl Checker<'_> {
    fn check_ref(&mut self, path: &str, value: &Value, schema: &MetaSchemaRef) {
        let schema = match schema {
            MetaSchemaRef::Inline(schema) => schema,
            MetaSchemaRef::Reference(name) => match self.named.get(name) {
                Some(schema) => schema,
                // Registered together with the root, so never missing; if
                // it were, the parser still has the last word.
                None => return,
            },
        };
        self.check(path, value, schema);
    }

    fn check(&mut self, path: &str, value: &Value, schema: &MetaSchema) {
        if value.is_null() {
            if !schema.nullable {
                self.refuse(path, "must not be null");
            }
            return;
        }
        // A field's own description or default wraps the type it refers to
        // in `allOf`; each part applies.
        for part in &schema.all_of {
            self.check_ref(path, value, part);
        }
        match schema.ty {
            "string" => match value.as_str() {
                Some(_) if !schema.enum_items.is_empty() && !schema.enum_items.contains(value) => {
                    let allowed: Vec<String> = schema.enum_items.iter().map(Value::to_string).collect();
                    self.refuse(path, format!("must be one of {}", allowed.join(", ")));
                }
                Some(_) => {}
                None => self.refuse(path, format!("must be a string, not {}", describe(value))),
            },
            "integer" if value.as_i64().is_none() && value.as_u64().is_none() => {
                self.refuse(path, format!("must be an integer, not {}", describe(value)));
            }
            "number" if !value.is_number() => {
                self.refuse(path, format!("must be a number, not {}", describe(value)));
            }
            "boolean" if !value.is_boolean() => {
                self.refuse(path, format!("must be true or false, not {}", describe(value)));
            }
            "array" => match value.as_array() {
                Some(items) => {
                    if let Some(item) = &schema.items {
                        for (i, value) in items.iter().enumerate() {
                            self.check_ref(&format!("{path}[{i}]"), value, item);
                        }
                    }
                }
                None => self.refuse(path, format!("must be a list, not {}", describe(value))),
            },
            "object" => match value.as_object() {
                Some(object) => self.check_object(path, object, schema),
                None => self.refuse(path, format!("must be an object, not {}", describe(value))),
            },
            _ => {}
        }
    }

    fn check_object(&mut self, path: &str, object: &serde_json::Map<String, Value>, schema: &MetaSchema) {
        let field = |name: &str| {
            if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            }
        };
        for name in &schema.required {
            if !object.contains_key(*name) {
                self.refuse(&field(name), "is required");
            }
        }
        for (name, property) in &schema.properties {
            let Some(value) = object.get(*name) else {
                continue;
            };
            self.check_ref(&field(name), value, property);
        }
    }

    fn refuse(&mut self, path: &str, message: impl Into<String>) {
        let field = if path.is_empty() { "body" } else { path };
        self.errors.add(field, message);
    }
}

/// A JSON value in a message: scalars as written, containers by kind
/// (their contents may be long, or personal).
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(value) => value.to_string(),
        Value::Number(number) => format!("the number {number}"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}
