//! The shared config files as botocore reads them: Python's `configparser.RawConfigParser`
//! with its defaults (CPython 3.11 `_read`), then botocore's `raw_config_parse` (nested
//! sub-sections). aws-config has its own, different parser (`aws_config::profile`); the two
//! disagree on real files, which is why a Python job and a Rust job can see different profiles.
//!
//! RawConfigParser's defaults, each of which matters:
//! - `=` and `:` both separate a key from its value (the first one on the line);
//! - only whole lines starting with `#` or `;` are comments: an inline `# comment` stays in
//!   the value;
//! - keys are lower-cased (`optionxform`), section names are kept exactly (spaces included);
//! - a section or a key seen twice in one file is an error (`strict`), as is a line before
//!   any section, or a line that is neither a section, a key nor a continuation;
//! - a line indented deeper than its key continues the value; an empty line inside a value
//!   is kept in it;
//! - `[DEFAULT]`'s keys are inherited by every section.

use std::collections::{BTreeMap, HashMap, HashSet};

/// A value: text, or (a key with an empty value followed by indented `k = v` lines) a nested
/// map, as botocore's `_parse_nested` makes it (the `s3 =` sub-sections).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Nested(BTreeMap<String, String>),
}

impl Value {
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            Value::Nested(_) => None,
        }
    }
}

/// One section's keys, lower-cased, `[DEFAULT]`'s included.
pub type Section = BTreeMap<String, Value>;

/// Why configparser (or botocore's nested parsing) refuses a file: botocore raises
/// `ConfigParseError` for every one of these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IniError {
    /// A key before the first `[section]`.
    MissingSectionHeader { line: u32 },
    /// `[name]` twice in one file.
    DuplicateSection { section: String, line: u32 },
    /// A key twice in one section.
    DuplicateOption {
        section: String,
        option: String,
        line: u32,
    },
    /// Lines that are neither a section, a key nor a continuation (all of them listed).
    Parsing { lines: Vec<u32> },
    /// A nested sub-section line without `=`.
    Nested { section: String, option: String },
}

impl IniError {
    /// The first line the error is about, when it has one.
    pub fn line(&self) -> Option<u32> {
        match self {
            IniError::MissingSectionHeader { line }
            | IniError::DuplicateSection { line, .. }
            | IniError::DuplicateOption { line, .. } => Some(*line),
            IniError::Parsing { lines } => lines.first().copied(),
            IniError::Nested { .. } => None,
        }
    }
}

impl std::fmt::Display for IniError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IniError::MissingSectionHeader { .. } => write!(f, "a key before any [section]"),
            IniError::DuplicateSection { section, .. } => {
                write!(f, "section [{section}] appears twice")
            }
            IniError::DuplicateOption {
                section, option, ..
            } => write!(f, "key {option} appears twice in [{section}]"),
            IniError::Parsing { lines } => {
                let lines: Vec<String> = lines.iter().map(u32::to_string).collect();
                write!(
                    f,
                    "not a [section], a key = value or a continuation (line {})",
                    lines.join(", ")
                )
            }
            IniError::Nested { section, option } => write!(
                f,
                "the sub-section {option} of [{section}] has a line without ="
            ),
        }
    }
}

/// The sections in file order (configparser keeps insertion order), `[DEFAULT]` merged in.
pub fn parse(text: &str) -> Result<Vec<(String, Section)>, IniError> {
    // Python reads text files with universal newlines.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    // maps[0] is [DEFAULT]; names[i] is the section of maps[i + 1].
    let mut maps: Vec<BTreeMap<String, Vec<String>>> = vec![BTreeMap::new()];
    let mut names: Vec<String> = Vec::new();
    let mut cursect: Option<usize> = None;
    let mut sectname = String::new();
    let mut optname: Option<String> = None;
    let mut indent_level = 0usize;
    // Lookups by hash: a file of tens of thousands of sections parses in linear time.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut added_sections: HashSet<String> = HashSet::new();
    let mut added_options: HashSet<(String, String)> = HashSet::new();
    let mut bad_lines: Vec<u32> = Vec::new();

    let lines: Vec<&str> = match text.strip_suffix('\n').unwrap_or(&text) {
        _ if text.is_empty() => Vec::new(),
        body => body.split('\n').collect(),
    };
    for (i, line) in lines.iter().enumerate() {
        let lineno = (i + 1) as u32;
        let stripped = line.trim();
        let is_comment = stripped.starts_with('#') || stripped.starts_with(';');
        let value = if is_comment { "" } else { stripped };
        if value.is_empty() {
            // An empty line (not a comment) inside a value is kept in it.
            if !is_comment
                && let (Some(cur), Some(opt)) = (cursect, &optname)
                && let Some(v) = maps[cur].get_mut(opt)
            {
                v.push(String::new());
            }
            continue;
        }
        let cur_indent = line.find(|c: char| !c.is_whitespace()).unwrap_or(0);
        if let (Some(cur), Some(opt)) = (cursect, &optname)
            && cur_indent > indent_level
        {
            if let Some(v) = maps[cur].get_mut(opt) {
                v.push(value.to_string());
            }
            continue;
        }
        indent_level = cur_indent;
        if let Some(header) = section_header(value) {
            sectname = header.to_string();
            if let Some(&at) = index.get(header) {
                if added_sections.contains(header) {
                    return Err(IniError::DuplicateSection {
                        section: sectname,
                        line: lineno,
                    });
                }
                cursect = Some(at + 1);
                added_sections.insert(sectname.clone());
            } else if header == "DEFAULT" {
                cursect = Some(0);
            } else {
                index.insert(sectname.clone(), names.len());
                names.push(sectname.clone());
                maps.push(BTreeMap::new());
                cursect = Some(maps.len() - 1);
                added_sections.insert(sectname.clone());
            }
            optname = None;
            continue;
        }
        let Some(cur) = cursect else {
            return Err(IniError::MissingSectionHeader { line: lineno });
        };
        match option_line(value) {
            Some((name, val)) => {
                if name.is_empty() {
                    bad_lines.push(lineno);
                }
                let name = name.to_lowercase();
                let key = (sectname.clone(), name.clone());
                if added_options.contains(&key) {
                    return Err(IniError::DuplicateOption {
                        section: sectname,
                        option: name,
                        line: lineno,
                    });
                }
                added_options.insert(key);
                maps[cur].insert(name.clone(), vec![val.trim().to_string()]);
                optname = Some(name);
            }
            None => bad_lines.push(lineno),
        }
    }
    if !bad_lines.is_empty() {
        return Err(IniError::Parsing { lines: bad_lines });
    }
    let join = |lines: &Vec<String>| lines.join("\n").trim_end().to_string();
    let defaults: BTreeMap<String, String> =
        maps[0].iter().map(|(k, v)| (k.clone(), join(v))).collect();
    names
        .into_iter()
        .zip(maps.into_iter().skip(1))
        .map(|(name, opts)| {
            let mut merged = defaults.clone();
            merged.extend(opts.iter().map(|(k, v)| (k.clone(), join(v))));
            let section = merged
                .into_iter()
                .map(|(k, v)| {
                    let value = if v.starts_with('\n') {
                        Value::Nested(nested(&v).ok_or_else(|| IniError::Nested {
                            section: name.clone(),
                            option: k.clone(),
                        })?)
                    } else {
                        Value::Text(v)
                    };
                    Ok((k, value))
                })
                .collect::<Result<Section, IniError>>()?;
            Ok((name, section))
        })
        .collect()
}

/// `\[(?P<header>.+)\]` matched at the start of the stripped line: the header runs to the
/// last `]` (the `.+` is greedy), whatever follows it is ignored.
fn section_header(value: &str) -> Option<&str> {
    let rest = value.strip_prefix('[')?;
    let end = rest.rfind(']')?;
    (end > 0).then(|| &rest[..end])
}

/// `(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$`: the key runs to the first `=` or `:`.
fn option_line(value: &str) -> Option<(&str, &str)> {
    let at = value.find(['=', ':'])?;
    Some((value[..at].trim_end(), &value[at + 1..]))
}

/// botocore's `_parse_nested`: each non-empty line `k = v`; `None` when one has no `=`.
fn nested(value: &str) -> Option<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for line in value.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (k, v) = line.split_once('=')?;
        out.insert(k.trim().to_string(), v.trim().to_string());
    }
    Some(out)
}
