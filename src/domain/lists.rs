//! Lists typed in one field (CPV codes, départements): each item checked by the same rule, the
//! canonical values without duplicates, or every problem at once.

/// Checks each item with `check`; the canonical values in order, each once, or every problem.
pub fn check_each<S: AsRef<str>>(
    items: &[S],
    check: impl Fn(&str) -> Result<String, String>,
) -> Result<Vec<String>, Vec<String>> {
    let mut values: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for item in items {
        match check(item.as_ref()) {
            Ok(value) if values.contains(&value) => {}
            Ok(value) => values.push(value),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(values)
    } else {
        Err(problems)
    }
}
