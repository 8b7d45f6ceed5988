//! Form errors the way the GOV.UK Design System shows them: a message
//! beside each field (tied to it with `aria-describedby`), and a summary at
//! the top of the page linking to each field, which takes focus when the
//! page opens. Every value the person typed is shown again as typed.

/// The errors of a form, by field id, in the order of the form.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors {
    errors: Vec<(String, &'static str)>,
}

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: &'static str) {
        self.errors.push((field_id(field), message));
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The message of field `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&'static str> {
        let id = field_id(field);
        self.errors
            .iter()
            .find(|(field, _)| *field == id)
            .map(|(_, message)| *message)
    }
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

/// What the summary at the top of a page lists: each field's error, and
/// any that belongs to the form as a whole (linked to its first field).
#[derive(Debug)]
pub struct ErrorSummary<'a> {
    pub items: Vec<(String, &'a str)>,
}

impl<'a> ErrorSummary<'a> {
    pub fn new(errors: &'a FieldErrors, whole_form: Option<(&str, &'a str)>) -> Self {
        let mut items: Vec<(String, &str)> = errors
            .errors
            .iter()
            .map(|(id, message)| (id.clone(), *message))
            .collect();
        if let Some((field, message)) = whole_form {
            items.push((field_id(field), message));
        }
        Self { items }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_paths_become_ids() {
        assert_eq!(field_id("agenda[2].presenter_ids[0]"), "agenda-2-presenter_ids-0");
        assert_eq!(field_id("email"), "email");
    }
}
