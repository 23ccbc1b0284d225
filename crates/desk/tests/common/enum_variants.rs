//! The variants of an enum read from its source, for the tests that hold a list (docs/CODES.md,
//! the refusal table) to every variant. Shared by the desk's unit and integration tests.

/// `CamelCase` in snake_case.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The variant names of `enum NAME` in `source`, in snake_case.
pub fn variants(source: &str, name: &str) -> Vec<String> {
    let start = source
        .find(&format!("pub enum {name} {{"))
        .unwrap_or_else(|| panic!("enum {name} not found"));
    let body = &source[start..];
    let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
    body.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("//") && !l.starts_with('#'))
        .filter_map(|l| {
            let first = l.split([' ', ',', '{', '(']).next()?;
            let is_variant = first.chars().next()?.is_ascii_uppercase()
                && (l.ends_with(',') || l.ends_with('{'));
            is_variant.then(|| snake(first))
        })
        .collect()
}
