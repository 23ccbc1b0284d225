//! File names Windows cannot hold (pure, so that it is tested on every system; applied on
//! Windows only).

/// Device names: a file of that name, with any extension, is the device.
const DEVICES: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Why Windows cannot hold a file named `name` (the last part of a path), or None when it can.
pub fn windows_name_problem(name: &str) -> Option<&'static str> {
    if let Some(c) = name.chars().find(|&c| c < ' ' || "<>:\"|?*".contains(c)) {
        return Some(if c < ' ' {
            "it holds a control character"
        } else {
            "it holds one of the characters < > : \" | ? *, which Windows does not allow in a file name"
        });
    }
    if name.ends_with('.') || name.ends_with(' ') {
        return Some("it ends with a dot or a space, which Windows drops from a file name");
    }
    // `CON`, `con.txt`, `Com1.tar.gz`, `nul .txt`: the part before the first dot, trailing
    // spaces dropped, is what Windows compares.
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    if DEVICES.iter().any(|d| d.eq_ignore_ascii_case(stem)) {
        return Some("it is a device name on Windows (CON, PRN, AUX, NUL, COM1 to COM9, LPT1 to LPT9), with any extension");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::windows_name_problem as problem;

    #[test]
    fn ordinary_names_are_fine() {
        for name in [
            "standby.hwid",
            "XFM-7K3D-9PQ2-X4 request.lreq",
            "journal-2026-06-01T12-00-00Z.ljrn",
            "console.txt",
            "com10.txt",
            "lpt.txt",
            "nulled",
            ".hidden",
            "файл.hwid",
        ] {
            assert_eq!(problem(name), None, "{name}");
        }
    }

    #[test]
    fn device_names_with_any_extension_are_refused() {
        for name in [
            "CON",
            "con",
            "Con.txt",
            "PRN.log",
            "aux",
            "NUL.tar.gz",
            "COM1",
            "com9.hwid",
            "LPT1",
            "lpt9.x",
            "nul .txt",
        ] {
            let why = problem(name).unwrap_or_else(|| panic!("{name}"));
            assert!(why.contains("device name"), "{name}: {why}");
        }
    }

    #[test]
    fn forbidden_characters_and_endings_are_refused() {
        for name in [
            "journal 12:00.ljrn",
            "a<b",
            "a>b",
            "say \"hi\"",
            "a|b",
            "what?",
            "*.hwid",
        ] {
            let why = problem(name).unwrap_or_else(|| panic!("{name}"));
            assert!(why.contains("characters"), "{name}: {why}");
        }
        assert!(problem("tab\there").unwrap().contains("control"));
        for name in ["standby.", "standby ", "x.hwid."] {
            assert!(problem(name).unwrap().contains("ends with"), "{name}");
        }
    }
}
