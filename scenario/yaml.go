package scenario

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file reads scenario files written in YAML: the subset of YAML 1.2
// a scenario needs, turned into the JSON Parse reads, so both forms share
// one set of checks and messages. It takes block mappings and sequences
// (a sequence may sit at its key's indentation), flow mappings and
// sequences over several lines (so any JSON file is read the same way),
// plain, single- and double-quoted scalars, comments and one document
// (an optional "---" and "..."). Plain scalars are typed by the YAML 1.2
// core schema: null, true/false, integers (decimal, 0o, 0x), floats; a
// date such as 2025-04-01 stays text, as the scenario fields want. What a
// scenario has no use for is refused with the line and column rather than
// half-read: anchors and aliases, tags, block scalars (| and >), directives,
// several documents, complex keys, tabs in indentation, duplicate keys and
// plain text folded over several lines.

// yamlNode is a parsed value: a mapping (keys in file order), a sequence
// or a scalar.
type yamlNode struct {
	kind   byte // 'm' mapping, 's' sequence, 'v' scalar
	keys   []string
	vals   []*yamlNode
	items  []*yamlNode
	text   string // a scalar's text
	quoted bool   // a quoted scalar is always text
	line   int    // where the node starts (1-based)
}

// yamlError is a syntax error at a line and column.
type yamlError struct {
	line, col int
	msg       string
}

func (e *yamlError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.line, e.col, e.msg)
}

type yamlParser struct {
	src []byte
	pos int
}

// yamlToJSON reads a YAML scenario and writes it as JSON. lines holds, in
// order of offset, the JSON offset at which each node's text starts and
// the YAML line it came from, so a later JSON error can name the YAML line.
func yamlToJSON(src []byte) (out []byte, lines []jsonLine, err error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(src) {
		return nil, nil, &yamlError{1, 1, "the file is not UTF-8 text"}
	}
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	p := &yamlParser{src: src}
	for i, r := range string(src) {
		if (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xfeff {
			return nil, nil, p.errAt(i, "a control character (U+%04X); remove it", r)
		}
	}
	n, err := p.document()
	if err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	if err := n.writeJSON(&b, &lines); err != nil {
		return nil, nil, err
	}
	return b.Bytes(), lines, nil
}

// jsonLine ties an offset of the generated JSON to a line of the YAML.
type jsonLine struct {
	off  int64
	line int
}

func (p *yamlParser) errAt(pos int, format string, a ...any) error {
	line, col := p.lineCol(pos)
	return &yamlError{line, col, fmt.Sprintf(format, a...)}
}

func (p *yamlParser) lineCol(pos int) (int, int) {
	if pos > len(p.src) {
		pos = len(p.src)
	}
	line := bytes.Count(p.src[:pos], []byte("\n")) + 1
	col := pos - bytes.LastIndexByte(p.src[:pos], '\n')
	return line, col
}

// col is the 0-based column of pos.
func (p *yamlParser) col(pos int) int { return pos - bytes.LastIndexByte(p.src[:pos], '\n') - 1 }

func (p *yamlParser) eof() bool { return p.pos >= len(p.src) }

func (p *yamlParser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.src[p.pos]
}

// at reports whether the byte at i is c.
func (p *yamlParser) at(i int, c byte) bool { return i < len(p.src) && p.src[i] == c }

// blankAt reports whether i is past the end or at a space or line end.
func (p *yamlParser) blankAt(i int) bool {
	return i >= len(p.src) || p.src[i] == ' ' || p.src[i] == '\n' || p.src[i] == '\t'
}

// skipLineSpace skips spaces and tabs on the current line, and a comment.
func (p *yamlParser) skipLineSpace() {
	for !p.eof() && (p.peek() == ' ' || p.peek() == '\t') {
		p.pos++
	}
	if p.peek() == '#' {
		for !p.eof() && p.peek() != '\n' {
			p.pos++
		}
	}
}

// endOfLine reports whether only spaces and a comment remain on the line.
func (p *yamlParser) endOfLine() bool {
	p.skipLineSpace()
	return p.eof() || p.peek() == '\n'
}

// nextContent moves past spaces and a comment on the current line and,
// if nothing else is left on it, to the first character of the next line
// holding something other than spaces and comments (or to the end). A tab
// in the indentation of such a line is refused.
func (p *yamlParser) nextContent() error {
	for {
		p.skipLineSpace()
		if p.eof() || p.peek() != '\n' {
			return nil
		}
		p.pos++
		q := p.pos
		for q < len(p.src) && p.src[q] == ' ' {
			q++
		}
		if q < len(p.src) && p.src[q] == '\t' {
			r := q
			for r < len(p.src) && (p.src[r] == ' ' || p.src[r] == '\t') {
				r++
			}
			if r < len(p.src) && p.src[r] != '\n' && p.src[r] != '#' {
				return p.errAt(q, "a tab in indentation; YAML indents with spaces")
			}
		}
		p.pos = q
	}
}

// document reads the one document of the file.
func (p *yamlParser) document() (*yamlNode, error) {
	if err := p.nextContent(); err != nil {
		return nil, err
	}
	if p.peek() == '%' {
		return nil, p.errAt(p.pos, "YAML directives (%%) are not used in scenario files; remove the line")
	}
	if p.marker("---") {
		p.pos += 3
		if err := p.nextContent(); err != nil {
			return nil, err
		}
	}
	if p.eof() || p.marker("...") || p.marker("---") {
		return nil, p.errAt(p.pos, "the file is empty; a scenario has name, scope and levers")
	}
	n, err := p.block(-1)
	if err != nil {
		return nil, err
	}
	if err := p.nextContent(); err != nil {
		return nil, err
	}
	if p.marker("...") {
		p.pos += 3
		if err := p.nextContent(); err != nil {
			return nil, err
		}
	}
	if !p.eof() {
		if p.marker("---") {
			return nil, p.errAt(p.pos, "a second document; give one scenario a file")
		}
		return nil, p.errAt(p.pos, "unexpected text after the scenario; check its indentation")
	}
	return n, nil
}

// marker reports whether a document marker (--- or ...) starts at the
// current position at the start of a line.
func (p *yamlParser) marker(m string) bool {
	return p.col(p.pos) == 0 && bytes.HasPrefix(p.src[p.pos:], []byte(m)) && p.blankAt(p.pos+3)
}

// block reads the node at the current position, which is content: the
// node must be indented more than parent.
func (p *yamlParser) block(parent int) (*yamlNode, error) {
	c := p.col(p.pos)
	if c <= parent {
		return &yamlNode{kind: 'v', line: p.line()}, nil // empty: null
	}
	switch ch := p.peek(); {
	case ch == '-' && p.blankAt(p.pos+1):
		return p.sequence(c)
	case ch == '[' || ch == '{':
		n, err := p.flow()
		if err != nil {
			return nil, err
		}
		if !p.endOfLine() {
			return nil, p.errAt(p.pos, "text after a closing bracket")
		}
		return n, nil
	}
	if err := p.refuse(); err != nil {
		return nil, err
	}
	// a scalar, or the first key of a mapping
	start := p.pos
	key, err := p.scalar(false)
	if err != nil {
		return nil, err
	}
	p.skipSpaces()
	if p.peek() == ':' && p.blankAt(p.pos+1) {
		p.pos = start
		return p.mapping(c)
	}
	if !p.endOfLine() {
		return nil, p.errAt(p.pos, "unexpected text; a value ends at the end of its line")
	}
	// a plain scalar folded over lines is not taken
	save := p.pos
	if err := p.nextContent(); err != nil {
		return nil, err
	}
	if !p.eof() && p.col(p.pos) > parent && !p.marker("...") && !p.marker("---") {
		return nil, p.errAt(p.pos, "text continued on another line; put a value on one line (quote it if it holds a colon)")
	}
	p.pos = save
	return key, nil
}

func (p *yamlParser) line() int {
	l, _ := p.lineCol(p.pos)
	return l
}

func (p *yamlParser) skipSpaces() {
	for !p.eof() && p.peek() == ' ' {
		p.pos++
	}
}

// refuse reports the YAML features scenario files do not use.
func (p *yamlParser) refuse() error {
	switch p.peek() {
	case '&', '*':
		return p.errAt(p.pos, "anchors and aliases (& and *) are not used in scenario files; write the value out")
	case '!':
		return p.errAt(p.pos, "tags (!) are not used in scenario files; remove the tag")
	case '|', '>':
		return p.errAt(p.pos, "block text (| or >) is not used in scenario files; write the value on one line in quotes")
	case '?':
		if p.blankAt(p.pos + 1) {
			return p.errAt(p.pos, "complex keys (?) are not used in scenario files")
		}
	case '@', '`':
		return p.errAt(p.pos, "%q cannot start a plain value; quote the value", p.peek())
	}
	return nil
}

// mapping reads a block mapping whose keys sit at column c.
func (p *yamlParser) mapping(c int) (*yamlNode, error) {
	n := &yamlNode{kind: 'm', line: p.line()}
	seen := map[string]int{}
	for {
		if err := p.refuse(); err != nil {
			return nil, err
		}
		if p.peek() == '-' && p.blankAt(p.pos+1) {
			return nil, p.errAt(p.pos, "a list item where a key was expected; check the indentation")
		}
		if p.peek() == '[' || p.peek() == '{' {
			return nil, p.errAt(p.pos, "a key must be plain or quoted text")
		}
		kpos := p.pos
		k, err := p.scalar(false)
		if err != nil {
			return nil, err
		}
		p.skipSpaces()
		if !(p.peek() == ':' && p.blankAt(p.pos+1)) {
			return nil, p.errAt(p.pos, "expected \": \" after the key %q", k.text)
		}
		if first, dup := seen[k.text]; dup {
			return nil, p.errAt(kpos, "%q given twice (first on line %d); give each field once", k.text, first)
		}
		kl, _ := p.lineCol(kpos)
		seen[k.text] = kl
		p.pos++ // the colon
		v, err := p.value(c)
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, k.text)
		n.vals = append(n.vals, v)
		if more, err := p.nextAt(c, "indented more than the keys above it; line the keys up"); err != nil || !more {
			return n, err
		}
	}
}

// nextAt moves to the next content and reports whether it goes on with the
// block at column c: false at the end of the document or on a line indented
// less; an error saying deeper on a line indented more.
func (p *yamlParser) nextAt(c int, deeper string) (more bool, err error) {
	if err := p.nextContent(); err != nil {
		return false, err
	}
	if p.eof() || p.marker("...") || p.marker("---") || p.col(p.pos) < c {
		return false, nil
	}
	if p.col(p.pos) > c {
		return false, p.errAt(p.pos, "%s", deeper)
	}
	return true, nil
}

// value reads the value after a key's colon in a mapping at column c.
func (p *yamlParser) value(c int) (*yamlNode, error) {
	if p.endOfLine() {
		// the value is on the following lines, or empty (null)
		line := p.line()
		if err := p.nextContent(); err != nil {
			return nil, err
		}
		if p.eof() || p.marker("...") || p.marker("---") {
			return &yamlNode{kind: 'v', line: line}, nil
		}
		nc := p.col(p.pos)
		if nc == c && p.peek() == '-' && p.blankAt(p.pos+1) {
			return p.sequence(c) // a list may sit at its key's indentation
		}
		if nc <= c {
			return &yamlNode{kind: 'v', line: line}, nil
		}
		return p.block(c)
	}
	switch p.peek() {
	case '[', '{':
		n, err := p.flow()
		if err != nil {
			return nil, err
		}
		if !p.endOfLine() {
			return nil, p.errAt(p.pos, "text after a closing bracket")
		}
		return n, nil
	case '-':
		if p.blankAt(p.pos + 1) {
			return nil, p.errAt(p.pos, "a list cannot start on its key's line; start it on the next line")
		}
	}
	if err := p.refuse(); err != nil {
		return nil, err
	}
	v, err := p.scalar(false)
	if err != nil {
		return nil, err
	}
	p.skipSpaces()
	if p.peek() == ':' && p.blankAt(p.pos+1) {
		return nil, p.errAt(p.pos, "a second colon on the line; quote a value that holds \": \"")
	}
	if !p.endOfLine() {
		return nil, p.errAt(p.pos, "unexpected text after the value")
	}
	// plain text folded onto the next line is refused
	save := p.pos
	if err := p.nextContent(); err != nil {
		return nil, err
	}
	if !p.eof() && p.col(p.pos) > c && !p.marker("...") {
		return nil, p.errAt(p.pos, "indented under a key that already has a value; line it up with the keys above or quote a long value on one line")
	}
	p.pos = save
	return v, nil
}

// sequence reads a block sequence whose dashes sit at column c.
func (p *yamlParser) sequence(c int) (*yamlNode, error) {
	n := &yamlNode{kind: 's', line: p.line()}
	for {
		p.pos++ // the dash
		p.skipSpaces()
		var item *yamlNode
		var err error
		if p.endOfLine() {
			line := p.line()
			if err := p.nextContent(); err != nil {
				return nil, err
			}
			if p.eof() || p.col(p.pos) <= c {
				item = &yamlNode{kind: 'v', line: line}
			} else {
				item, err = p.block(c)
			}
		} else {
			// content on the dash's line: a scalar, a flow collection, a
			// nested list or a compact mapping at this column
			item, err = p.block(c)
		}
		if err != nil {
			return nil, err
		}
		n.items = append(n.items, item)
		if more, err := p.nextAt(c, "indented more than the list's dashes; line the items up"); err != nil || !more {
			return n, err
		}
		if !(p.peek() == '-' && p.blankAt(p.pos+1)) {
			return n, nil // a key of the mapping holding the list
		}
	}
}

// flow reads a flow collection ([...] or {...}), which may run over lines.
func (p *yamlParser) flow() (*yamlNode, error) {
	open := p.pos
	closer := byte(']')
	n := &yamlNode{kind: 's', line: p.line()}
	if p.peek() == '{' {
		closer, n.kind = '}', 'm'
	}
	p.pos++
	seen := map[string]int{}
	for {
		if err := p.flowSpace(); err != nil {
			return nil, err
		}
		if p.eof() {
			return nil, p.errAt(open, "%q is never closed with %q", p.src[open], closer)
		}
		if p.peek() == closer {
			p.pos++
			return n, nil
		}
		if n.kind == 'm' {
			kpos := p.pos
			if p.peek() == '[' || p.peek() == '{' {
				return nil, p.errAt(p.pos, "a key must be plain or quoted text")
			}
			if err := p.refuse(); err != nil {
				return nil, err
			}
			k, err := p.scalar(true)
			if err != nil {
				return nil, err
			}
			if err := p.flowSpace(); err != nil {
				return nil, err
			}
			if p.peek() != ':' {
				return nil, p.errAt(p.pos, "expected \":\" after the key %q", k.text)
			}
			if first, dup := seen[k.text]; dup {
				return nil, p.errAt(kpos, "%q given twice (first on line %d); give each field once", k.text, first)
			}
			kl, _ := p.lineCol(kpos)
			seen[k.text] = kl
			p.pos++
			if err := p.flowSpace(); err != nil {
				return nil, err
			}
			v, err := p.flowValue(closer)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, k.text)
			n.vals = append(n.vals, v)
		} else {
			v, err := p.flowValue(closer)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, v)
		}
		if err := p.flowSpace(); err != nil {
			return nil, err
		}
		switch {
		case p.peek() == ',':
			p.pos++
		case p.peek() == closer:
		case p.eof():
			return nil, p.errAt(open, "%q is never closed with %q", p.src[open], closer)
		default:
			if ol, _ := p.lineCol(open); ol != p.line() {
				return nil, p.errAt(p.pos, "expected \",\" or %q: is the %q on line %d closed?", closer, p.src[open], ol)
			}
			return nil, p.errAt(p.pos, "expected \",\" or %q", closer)
		}
	}
}

// flowSpace skips spaces, line ends and comments inside a flow collection.
func (p *yamlParser) flowSpace() error {
	for !p.eof() {
		switch p.peek() {
		case ' ', '\t', '\n':
			p.pos++
		case '#':
			if p.pos > 0 && !p.blankAt(p.pos-1) {
				return p.errAt(p.pos, "a comment needs a space before its #")
			}
			for !p.eof() && p.peek() != '\n' {
				p.pos++
			}
		default:
			return nil
		}
	}
	return nil
}

func (p *yamlParser) flowValue(closer byte) (*yamlNode, error) {
	switch p.peek() {
	case '[', '{':
		return p.flow()
	case ',', ']', '}':
		return nil, p.errAt(p.pos, "a value is missing")
	}
	if err := p.refuse(); err != nil {
		return nil, err
	}
	return p.scalar(true)
}

// scalar reads a quoted or plain scalar on the current line. In a flow
// collection a plain scalar also ends at , [ ] { } and at ":" before a
// space; in a block it ends at ": " or " #".
func (p *yamlParser) scalar(flow bool) (*yamlNode, error) {
	n := &yamlNode{kind: 'v', line: p.line()}
	switch p.peek() {
	case '"':
		s, err := p.doubleQuoted()
		n.text, n.quoted = s, true
		return n, err
	case '\'':
		s, err := p.singleQuoted()
		n.text, n.quoted = s, true
		return n, err
	}
	start := p.pos
	for !p.eof() {
		ch := p.peek()
		if ch == '\n' || (ch == ':' && (p.blankAt(p.pos+1) || (flow && strings.IndexByte(",[]{}", p.src[p.pos+1]) >= 0))) {
			break
		}
		if ch == '#' && p.pos > start && (p.src[p.pos-1] == ' ' || p.src[p.pos-1] == '\t') {
			break
		}
		if flow && strings.IndexByte(",[]{}", ch) >= 0 {
			break
		}
		p.pos++
	}
	n.text = strings.TrimRight(string(p.src[start:p.pos]), " \t")
	if n.text == "" {
		return nil, p.errAt(start, "a value or key is missing")
	}
	return n, nil
}

func (p *yamlParser) doubleQuoted() (string, error) {
	open := p.pos
	p.pos++
	var b strings.Builder
	for {
		if p.eof() || p.peek() == '\n' {
			return "", p.errAt(open, "quoted text is not closed on its line; close it with \"")
		}
		ch := p.peek()
		if ch == '"' {
			p.pos++
			return b.String(), nil
		}
		if ch != '\\' {
			b.WriteByte(ch)
			p.pos++
			continue
		}
		esc := p.pos
		p.pos++
		if p.eof() {
			return "", p.errAt(open, "quoted text is not closed")
		}
		e := p.peek()
		p.pos++
		switch e {
		case '"', '\\', '/', ' ':
			b.WriteByte(e)
		case 'n':
			b.WriteByte('\n')
		case 't', '\t':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case '0':
			b.WriteByte(0)
		case 'x', 'u', 'U':
			size := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if p.pos+size > len(p.src) {
				return "", p.errAt(esc, "a \\%c escape needs %d hex digits", e, size)
			}
			v, err := strconv.ParseUint(string(p.src[p.pos:p.pos+size]), 16, 32)
			if err != nil || !utf8.ValidRune(rune(v)) {
				return "", p.errAt(esc, "a \\%c escape needs %d hex digits of a character", e, size)
			}
			b.WriteRune(rune(v))
			p.pos += size
		default:
			return "", p.errAt(esc, "unknown escape \\%c in quoted text", e)
		}
	}
}

func (p *yamlParser) singleQuoted() (string, error) {
	open := p.pos
	p.pos++
	var b strings.Builder
	for {
		if p.eof() || p.peek() == '\n' {
			return "", p.errAt(open, "quoted text is not closed on its line; close it with '")
		}
		if p.peek() == '\'' {
			if p.at(p.pos+1, '\'') {
				b.WriteByte('\'')
				p.pos += 2
				continue
			}
			p.pos++
			return b.String(), nil
		}
		b.WriteByte(p.peek())
		p.pos++
	}
}

// The YAML 1.2 core schema's plain scalars other than text.
var (
	yamlNull  = regexp.MustCompile(`^(null|Null|NULL|~)?$`)
	yamlTrue  = regexp.MustCompile(`^(true|True|TRUE)$`)
	yamlFalse = regexp.MustCompile(`^(false|False|FALSE)$`)
	yamlInt   = regexp.MustCompile(`^[-+]?[0-9]+$`)
	yamlOct   = regexp.MustCompile(`^0o[0-7]+$`)
	yamlHex   = regexp.MustCompile(`^0x[0-9a-fA-F]+$`)
	yamlFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
	yamlInf   = regexp.MustCompile(`^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$`)
)

// writeJSON writes the node as JSON, noting where each node starts.
func (n *yamlNode) writeJSON(b *bytes.Buffer, lines *[]jsonLine) error {
	*lines = append(*lines, jsonLine{int64(b.Len()), n.line})
	switch n.kind {
	case 'm':
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(jsonString(k))
			b.WriteByte(':')
			if err := n.vals[i].writeJSON(b, lines); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case 's':
		b.WriteByte('[')
		for i, it := range n.items {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := it.writeJSON(b, lines); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	default:
		s := n.text
		switch {
		case n.quoted:
			b.WriteString(jsonString(s))
		case yamlNull.MatchString(s):
			b.WriteString("null")
		case yamlTrue.MatchString(s):
			b.WriteString("true")
		case yamlFalse.MatchString(s):
			b.WriteString("false")
		case yamlInt.MatchString(s):
			v, ok := new(big10).parse(s)
			if !ok {
				return &yamlError{n.line, 1, fmt.Sprintf("%s is too large a number", s)}
			}
			b.WriteString(v)
		case yamlOct.MatchString(s), yamlHex.MatchString(s):
			base := 8
			if s[1] == 'x' {
				base = 16
			}
			v, err := strconv.ParseUint(s[2:], base, 64)
			if err != nil {
				return &yamlError{n.line, 1, fmt.Sprintf("%s is too large a number", s)}
			}
			b.WriteString(strconv.FormatUint(v, 10))
		case yamlFloat.MatchString(s):
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsInf(v, 0) {
				return &yamlError{n.line, 1, fmt.Sprintf("%s is out of range", s)}
			}
			b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
		case yamlInf.MatchString(s):
			return &yamlError{n.line, 1, fmt.Sprintf("%s: infinity and not-a-number are not values a scenario takes", s)}
		default:
			b.WriteString(jsonString(s))
		}
	}
	return nil
}

// big10 normalises a decimal integer: sign, no leading zeros, within the
// range of a 64-bit integer (a seed may use all of uint64).
type big10 struct{}

func (big10) parse(s string) (string, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return "", false
	}
	if neg {
		if v > 1<<63 {
			return "", false
		}
		if v == 0 {
			return "0", true
		}
		return "-" + strconv.FormatUint(v, 10), true
	}
	return strconv.FormatUint(v, 10), true
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// yamlLineAt is the YAML line of the node the JSON offset off falls in.
func yamlLineAt(lines []jsonLine, off int64) int {
	i := sort.Search(len(lines), func(i int) bool { return lines[i].off > off })
	if i == 0 {
		return 1
	}
	return lines[i-1].line
}
