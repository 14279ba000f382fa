//! `prompt`'s one word: the time left on the credentials, as a shell prompt shows it.

use crate::cli::{PromptArgs, PromptFormat};
use crate::commands::prompt::Left;

/// The line to print: the word and a newline, or an empty line when there is nothing to say
/// (a prompt's `$(…)` drops the newline).
pub fn render(left: Left, args: &PromptArgs) -> String {
    let warn_below = args.warn_within.as_secs() as i64;
    let word = match (left, args.format) {
        (Left::Nothing, _) => String::new(),
        (Left::Expired, PromptFormat::Icon) => "⚠ expired".into(),
        (Left::Expired, PromptFormat::Plain) => "expired".into(),
        (Left::Unknown, PromptFormat::Icon) => "⏳?".into(),
        (Left::Unknown, PromptFormat::Plain) => "unknown".into(),
        (Left::Remaining(d), format) => {
            let secs = d.num_seconds();
            let warn = secs < warn_below;
            match (format, warn) {
                (PromptFormat::Icon, false) => format!("⏳{}", compact(secs)),
                (PromptFormat::Icon, true) => format!("⚠ {}", compact(secs)),
                (PromptFormat::Plain, false) => compact(secs),
                (PromptFormat::Plain, true) => format!("{}!", compact(secs)),
            }
        }
    };
    format!("{word}\n")
}

/// `2d03h`, `5h12m`, `31m`, `<1m`: minutes are the finest a prompt needs.
fn compact(secs: i64) -> String {
    let (d, h, m) = (secs / 86_400, (secs % 86_400) / 3600, (secs % 3600) / 60);
    match (d, h, m) {
        (0, 0, 0) => "<1m".into(),
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h{m:02}m"),
        (d, 0, _) => format!("{d}d"),
        (d, h, _) => format!("{d}d{h:02}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;
    use std::time::Duration;

    fn args(format: PromptFormat) -> PromptArgs {
        PromptArgs {
            profile: None,
            format,
            warn_within: Duration::from_secs(15 * 60),
            sdk: None,
        }
    }

    #[test]
    fn words_for_each_case() {
        let icon = args(PromptFormat::Icon);
        let plain = args(PromptFormat::Plain);
        let left = |m| Left::Remaining(TimeDelta::minutes(m));
        assert_eq!(render(left(31), &icon), "⏳31m\n");
        assert_eq!(render(left(12), &icon), "⚠ 12m\n");
        assert_eq!(render(left(12), &plain), "12m!\n");
        assert_eq!(render(left(15), &icon), "⏳15m\n", "15m is not below 15m");
        assert_eq!(render(left(125), &plain), "2h05m\n");
        assert_eq!(render(left(60 * 27), &plain), "1d03h\n");
        assert_eq!(
            render(Left::Remaining(TimeDelta::seconds(59)), &icon),
            "⚠ <1m\n"
        );
        assert_eq!(render(Left::Expired, &icon), "⚠ expired\n");
        assert_eq!(render(Left::Expired, &plain), "expired\n");
        assert_eq!(render(Left::Unknown, &icon), "⏳?\n");
        assert_eq!(render(Left::Nothing, &icon), "\n");
    }
}
