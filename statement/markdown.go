package statement

import (
	"regexp"
	"strings"
)

// parseMarkdown reads the commissioning intentions a council writes: a small
// subset of Markdown that office users write — headings (#, ##, ###),
// paragraphs separated by blank lines, and bulleted (-, *, +) or numbered
// (1.) lists. Emphasis marks (**, __, *, _ around words) and link syntax
// are reduced to their text; nothing is passed through as HTML (the
// renderers escape every character).
func parseMarkdown(md string) []Block {
	var out []Block
	var para []string
	var items []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, Block{Kind: Quote, Text: inline(strings.Join(para, " "))})
			para = nil
		}
		if len(items) > 0 {
			out = append(out, Block{Kind: List, Items: items})
			items = nil
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
		case strings.HasPrefix(t, "#"):
			flush()
			h := strings.TrimSpace(strings.TrimLeft(t, "#"))
			if h != "" {
				out = append(out, Block{Kind: Heading, Text: inline(h)})
			}
		case bullet.MatchString(t):
			if len(para) > 0 {
				out = append(out, Block{Kind: Quote, Text: inline(strings.Join(para, " "))})
				para = nil
			}
			items = append(items, inline(bullet.ReplaceAllString(t, "")))
		case len(items) > 0 && (strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "\t")):
			items[len(items)-1] += " " + inline(t)
		default:
			if len(items) > 0 {
				out = append(out, Block{Kind: List, Items: items})
				items = nil
			}
			para = append(para, t)
		}
	}
	flush()
	return out
}

var (
	bullet   = regexp.MustCompile(`^([-*+]|\d+[.)])\s+`)
	link     = regexp.MustCompile(`\[([^\]]*)\]\(([^)]*)\)`)
	emphasis = regexp.MustCompile(`(\*\*|__)(.+?)(\*\*|__)|(^|\W)[*_]([^*_]+)[*_](\W|$)`)
)

// inline reduces inline Markdown to plain text: [text](url) becomes
// "text (url)", emphasis marks are dropped.
func inline(s string) string {
	s = link.ReplaceAllString(s, "$1 ($2)")
	s = emphasis.ReplaceAllString(s, "$2$4$5$6")
	return s
}
