//! A whitespace-and-comments CSS minifier for the widget's own stylesheet, run by `build.rs` so
//! the bundle carries `style.css` without its comments and indentation (the file stays readable).
//!
//! It only removes what CSS Syntax Level 3 says carries no meaning: comments (§4.3.2) and
//! whitespace runs, which become one space, or nothing next to `{`, `}`, `;`, `,`, `>` or after
//! `:`. Quoted strings are copied as they are. Spaces around `(`, `+`, `~` and `-` are kept
//! (`and (`, `calc(a + b)` need them).

/// `css` minified as described in the module docs. Total: never panics; an unterminated comment
/// or string runs to the end, as CSS parsing does.
pub fn minify(css: &str) -> String {
    /// Characters next to which whitespace means nothing.
    const TIGHT: &[char] = &['{', '}', ';', ',', '>'];
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        if c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            let mut last = ' ';
            for d in chars.by_ref() {
                if last == '*' && d == '/' {
                    break;
                }
                last = d;
            }
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            let prev = out.chars().last();
            if prev.is_some_and(|p| !TIGHT.contains(&p) && p != ':') && !TIGHT.contains(&c) {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
        if c == '"' || c == '\'' {
            while let Some(d) = chars.next() {
                out.push(d);
                if d == '\\' {
                    if let Some(e) = chars.next() {
                        out.push(e);
                    }
                } else if d == c {
                    break;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn drops_comments_and_meaningless_whitespace_only() {
        let css = "/* theme */\n:host([theme=\"dark\"]) .a > .b ,\n.c:focus-visible {\n  color : red ;\n  font-family: \"Segoe  UI\", a;\n  width: calc(100% - 2 * var(--x));\n}\n@media (prefers-color-scheme: dark) { .d { margin: 0 auto } }\n[tabindex='-1'] { }";
        assert_eq!(
            minify(css),
            ":host([theme=\"dark\"]) .a>.b,.c:focus-visible{color :red;font-family:\"Segoe  UI\",a;width:calc(100% - 2 * var(--x));}@media (prefers-color-scheme:dark){.d{margin:0 auto}}[tabindex='-1']{}"
        );
    }

    #[test]
    fn strings_and_unterminated_input_survive() {
        assert_eq!(
            minify("a{content:\"/* not a comment */\"}"),
            "a{content:\"/* not a comment */\"}"
        );
        assert_eq!(
            minify("a{content:'it\\'s  {x}'}"),
            "a{content:'it\\'s  {x}'}"
        );
        assert_eq!(minify("a { b: c } /* open"), "a{b:c}");
        assert_eq!(minify("a{content:\"open"), "a{content:\"open");
        assert_eq!(minify(""), "");
    }

    #[test]
    fn the_widget_stylesheet_shrinks_and_keeps_every_rule() {
        let css = include_str!("style.css");
        let min = minify(css);
        assert!(
            min.len() < css.len() * 85 / 100,
            "{} -> {}",
            css.len(),
            min.len()
        );
        assert_eq!(min.matches('{').count(), css.matches('{').count());
        assert_eq!(min.matches('}').count(), min.matches('{').count());
        assert!(min.contains("\"Segoe UI\""));
    }
}
