package ssda903

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The XML tokenizer. encoding/xml reads a byte at a time through an
// interface and allocates for every token; for a council-year return
// (1.8 MB) that was two thirds of the read. xmlTokens reads the subset of
// XML that SSDA903 returns are written in, from a buffer:
//
//   - start tags with ASCII names, attributes included (checked, then
//     ignored: the return has no data in attributes), and self-closing tags;
//   - end tags;
//   - text, with the five predefined entities (&amp; &lt; &gt; &apos;
//     &quot;) and character references (&#39; &#x27;), and CDATA sections;
//   - comments, processing instructions and the XML declaration (its
//     version and encoding are checked as encoding/xml checks them).
//
// It gives exactly the tokens encoding/xml's RawToken gives (the same names,
// the same text after entity and line-end decoding, the same line numbers),
// and it never reports an error itself. On anything else — a DOCTYPE or
// other <!...> directive, a name that is not ASCII, an undefined entity, a
// character XML forbids, malformed or truncated markup, a read error, or a
// token longer than maxXMLToken — it hands the rest of the input, from the
// start of that token, to encoding/xml, which reads it (a DOCTYPE, say) or
// reports the error with the same message and line as before. What is
// accepted and what is refused is therefore exactly what encoding/xml
// accepts and refuses; the fuzz target FuzzXMLTokensAgainstStd checks it.
//
// Two shortcuts keep the common shapes cheap, without changing what the
// reader sees: <NAME>text</NAME> on one line comes as one xtLeaf token (the
// reader treats it as the three tokens), and text where the reader keeps
// none (the indentation between elements; see wantText) is checked and
// skipped. Input that is not valid UTF-8 is read, from the first invalid
// byte on, through fixUTF8Reader (stray bytes as Windows-1252), as before;
// valid input is not copied through it.
//
// Memory: the buffer holds the current token and the read-ahead, at most
// 1.5 × maxXMLToken plus one read; longer text goes to encoding/xml,
// as every token did before.

// maxXMLToken is the longest token read from the buffer; a longer one (far
// beyond any SSDA903 value) is read by encoding/xml.
const maxXMLToken = 1 << 20

// xmlReadSize is how much is read at a time.
const xmlReadSize = 64 << 10

// maxXMLNames bounds the names remembered (a return uses about 70).
const maxXMLNames = 1024

type xtKind uint8

const (
	xtStart xtKind = iota + 1
	xtEnd
	xtText
	xtLeaf // <NAME>text</NAME>: a start tag, its text (if any) and its end tag
)

// xname is an element name as RawToken gives it (Local: without any name
// space prefix) and upper-cased, as the reader matches names. info is the
// reader's: what the name means, worked out once per distinct name.
type xname struct {
	local, upper string
	info         xnameInfo
}

// nameSlot is an entry of the tokenizer's table of names seen.
type nameSlot struct {
	raw string // the name as written, prefix included; "" for a free slot
	n   *xname
}

// nameTableSize is the number of slots (a power of two, at least twice
// maxXMLNames, so that probes stay short).
const nameTableSize = 2048

func nameHash(b []byte) uint32 {
	n := len(b)
	h := uint32(n)
	h = h*31 + uint32(b[0])
	h = h*31 + uint32(b[n-1])
	h = h*31 + uint32(b[n/2])
	h = h*31 + uint32(b[n/3])
	h = h*31 + uint32(b[(2*n)/3])
	return (h ^ h>>9) & (nameTableSize - 1)
}

// xmlTokens gives the tokens of an XML document (see above).
type xmlTokens struct {
	r    io.Reader
	buf  []byte
	pos  int   // start of the next token in buf
	end  int   // end of the data in buf
	rerr error // the error that ended reading (io.EOF at the end)

	// UTF-8. The input is read as it is while it is valid UTF-8 (checked
	// up to buf[checked]); from the first invalid byte on, it is read
	// through fix, which decodes stray bytes as Windows-1252 (and says so).
	checked int
	fix     *fixUTF8Reader

	line int // line of buf[lpos]: 1 + the line feeds before it
	lpos int // lines are counted up to pos when asked (Line)

	text     []byte // the last text token's: in buf, or dec
	dec      []byte // text decoded
	pending  bool   // a self-closing tag's end is due
	wantText bool   // the reader keeps text here (else text is checked and skipped)
	pname    *xname
	names    []nameSlot        // names seen, by nameHash of the raw name
	nnames   int               // slots used
	stdNames map[string]*xname // names seen by encoding/xml, by Local

	// charset checks the encoding an XML declaration names (the Decoder's
	// CharsetReader without the reader).
	charset func(label string) error

	// After a fallback, the rest is read by std, whose lines start at
	// stdLine+1.
	std     *xml.Decoder
	stdLine int
}

func newXMLTokens(r io.Reader, charset func(string) error) *xmlTokens {
	return &xmlTokens{r: r, line: 1, charset: charset}
}

// Line is the line of the input position: the end of the last token.
func (t *xmlTokens) Line() int {
	if t.std != nil {
		l, _ := t.std.InputPos()
		return l + t.stdLine
	}
	t.line += bytes.Count(t.buf[t.lpos:t.pos], []byte{'\n'})
	t.lpos = t.pos
	return t.line
}

// fallback hands the rest of the input, from buf[pos], to encoding/xml.
func (t *xmlTokens) fallback() {
	line := t.Line()
	var rest io.Reader = &replayReader{b: append([]byte(nil), t.buf[t.pos:t.end]...), err: t.rerr, r: t.r}
	if t.fix == nil {
		// The bytes from buf[checked] on are not checked yet.
		t.fix = &fixUTF8Reader{r: rest}
		rest = t.fix
	}
	t.buf = nil
	d := xml.NewDecoder(rest)
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if err := t.charset(label); err != nil {
			return nil, err
		}
		return in, nil
	}
	t.std = d
	t.stdLine = line - 1
}

// replayReader reads b, then err if not nil, else r.
type replayReader struct {
	b   []byte
	err error
	r   io.Reader
}

func (p *replayReader) Read(b []byte) (int, error) {
	if len(p.b) > 0 {
		n := copy(b, p.b)
		p.b = p.b[n:]
		return n, nil
	}
	if p.err != nil {
		return 0, p.err
	}
	return p.r.Read(b)
}

// more reads more input after buf[pos:end], keeping that. It reports false
// when nothing more can be read (the end, an error, or a token too long).
// It reads at least half as much again as it keeps, so that a long token,
// parsed again from its start after each read, costs time linear in its
// length whatever the size of the reads.
func (t *xmlTokens) more() bool {
	if t.rerr != nil {
		return false
	}
	if t.pos > 0 {
		t.Line()
		t.end = copy(t.buf, t.buf[t.pos:t.end])
		t.checked = max(t.checked-t.pos, 0)
		t.pos, t.lpos = 0, 0
	}
	if t.end >= maxXMLToken {
		return false
	}
	want := t.end/2 + 1
	if room := max(want, xmlReadSize/2); len(t.buf)-t.end < room {
		nb := make([]byte, max(2*len(t.buf), xmlReadSize, t.end+room))
		copy(nb, t.buf[:t.end])
		t.buf = nb
	}
	got := 0
	for got < want && t.end < len(t.buf) {
		n, err := t.r.Read(t.buf[t.end:])
		t.end += n
		got += n
		if err != nil {
			t.rerr = err
		}
		if t.fix == nil && !t.checkUTF8() {
			got -= t.end - t.checked
			t.end = t.checked
			continue // read again, through fix
		}
		if t.rerr != nil {
			break
		}
	}
	return got > 0
}

// checkUTF8 checks the bytes read since the last check, but for a sequence
// cut at the end of the data (unless reading has ended). When they are not
// valid UTF-8 it puts them back in front of the rest of the input, read
// from now on through a fixUTF8Reader, and reports false.
func (t *xmlTokens) checkUTF8() bool {
	b := t.buf[t.checked:t.end]
	cut := len(b)
	if t.rerr == nil {
		cut -= partialRune(b)
	}
	if utf8.Valid(b[:cut]) {
		t.checked += cut
		return true
	}
	t.fix = &fixUTF8Reader{r: &replayReader{b: append([]byte(nil), b...), err: t.rerr, r: t.r}}
	t.r, t.rerr = t.fix, nil
	return false
}

// partialRune is the length of a UTF-8 sequence begun but not ended at the
// end of b (0 if none), as fixUTF8Reader keeps such a sequence back.
func partialRune(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-3; i-- {
		c := b[i]
		if c < 0x80 {
			return 0
		}
		if c >= 0xC0 {
			need := 2
			if c >= 0xE0 {
				need = 3
			}
			if c >= 0xF0 {
				need = 4
			}
			if len(b)-i < need {
				return len(b) - i
			}
			return 0
		}
	}
	return 0
}

// sawInvalid reports whether the input had bytes that are not UTF-8 (read
// as Windows-1252).
func (t *xmlTokens) sawInvalid() bool { return t.fix != nil && t.fix.sawInvalid }

// Next returns the next token: its kind, its name (start and end tags) and
// its text (text; valid until the next call). It returns io.EOF at the end
// of a well-formed input; any other error is encoding/xml's.
func (t *xmlTokens) Next() (xtKind, *xname, []byte, error) {
	if t.pending {
		t.pending = false
		return xtEnd, t.pname, nil, nil
	}
	for t.std == nil {
		if t.pos == t.end {
			if !t.more() {
				if t.rerr == io.EOF && t.pos == t.end {
					return 0, nil, nil, io.EOF
				}
				t.fallback()
				break
			}
		}
		kind, name, n, st := t.token()
		switch st {
		case tokMore:
			if t.more() {
				continue
			}
			if kind == xtText && t.rerr == io.EOF {
				// Text ends at the end of the input.
				if n, ok := t.textToken(true); ok {
					t.consume(n)
					return xtText, nil, t.text, nil
				}
			}
			t.fallback()
		case tokOther:
			t.fallback()
		case tokSkip:
			t.consume(n)
		case tokDone:
			t.consume(n)
			if kind == xtText && !t.wantText {
				// Text the reader would drop (the indentation between
				// elements): it has been checked, skip it.
				continue
			}
			return kind, name, t.text, nil
		default:
			t.consume(n)
			if kind == xtStart && st == tokSelfClose {
				t.pending, t.pname = true, name
			}
			return kind, name, t.text, nil
		}
	}
	return t.stdNext()
}

func (t *xmlTokens) consume(n int) { t.pos += n }

// stdNext reads the next token with encoding/xml.
func (t *xmlTokens) stdNext() (xtKind, *xname, []byte, error) {
	for {
		tok, err := t.std.RawToken()
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				e := *se
				e.Line += t.stdLine
				return 0, nil, nil, &e
			}
			return 0, nil, nil, err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			return xtStart, t.stdName(tk.Name.Local), nil, nil
		case xml.EndElement:
			return xtEnd, t.stdName(tk.Name.Local), nil, nil
		case xml.CharData:
			return xtText, nil, tk, nil
		}
	}
}

func (t *xmlTokens) stdName(local string) *xname {
	if n, ok := t.stdNames[local]; ok {
		return n
	}
	n := &xname{local: local, upper: strings.ToUpper(local)}
	if t.stdNames == nil {
		t.stdNames = map[string]*xname{}
	}
	if len(t.stdNames) < maxXMLNames {
		t.stdNames[local] = n
	}
	return n
}

type tokStatus uint8

const (
	tokDone      tokStatus = iota
	tokSelfClose           // a start tag that also ends its element
	tokSkip                // a comment or processing instruction
	tokMore                // the token goes on past the data in buf
	tokOther               // something for encoding/xml
)

// token reads the token at buf[pos] and says how many bytes it spans.
func (t *xmlTokens) token() (kind xtKind, name *xname, n int, st tokStatus) {
	b := t.buf[t.pos:t.end]
	if b[0] != '<' {
		n, ok := t.textToken(false)
		if n < 0 {
			return xtText, name, 0, tokMore
		}
		if !ok {
			return xtText, name, 0, tokOther
		}
		return xtText, name, n, tokDone
	}
	if len(b) < 2 {
		return 0, name, 0, tokMore
	}
	switch b[1] {
	case '/':
		name, i, st := t.elementName(b, 2)
		if st != tokDone {
			return xtEnd, name, 0, st
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return xtEnd, name, 0, tokMore
		}
		if b[i] != '>' {
			return xtEnd, name, 0, tokOther
		}
		return xtEnd, name, i + 1, tokDone
	case '?':
		n, st := t.procInst(b)
		return 0, name, n, st
	case '!':
		return t.bang(b)
	}
	name, i, st := t.elementName(b, 1)
	if st != tokDone {
		return xtStart, name, 0, st
	}
	nameEnd := i
	for {
		i = skipSpace(b, i)
		if i >= len(b) {
			return xtStart, name, 0, tokMore
		}
		switch b[i] {
		case '>':
			if n := t.leafAhead(b, i+1, b[1:nameEnd]); n > 0 {
				return xtLeaf, name, n, tokDone
			}
			return xtStart, name, i + 1, tokDone
		case '/':
			if i+1 >= len(b) {
				return xtStart, name, 0, tokMore
			}
			if b[i+1] != '>' {
				return xtStart, name, 0, tokOther
			}
			return xtStart, name, i + 2, tokSelfClose
		}
		// An attribute: name, =, a quoted value.
		j, ok := asciiName(b, i)
		if j >= len(b) {
			return xtStart, name, 0, tokMore
		}
		if !ok || !nsLocalOK(b[i:j]) {
			return xtStart, name, 0, tokOther
		}
		i = skipSpace(b, j)
		if i >= len(b) {
			return xtStart, name, 0, tokMore
		}
		if b[i] != '=' {
			return xtStart, name, 0, tokOther
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			return xtStart, name, 0, tokMore
		}
		q := b[i]
		if q != '"' && q != '\'' {
			return xtStart, name, 0, tokOther
		}
		k := bytes.IndexByte(b[i+1:], q)
		if k < 0 {
			return xtStart, name, 0, tokMore
		}
		v := b[i+1 : i+1+k]
		if bytes.IndexByte(v, '<') >= 0 {
			return xtStart, name, 0, tokOther
		}
		if t.dec, ok = decodeXMLText(t.dec[:0], v, false); !ok {
			return xtStart, name, 0, tokOther
		}
		i += k + 2
	}
}

// leafAhead looks past a start tag, at b[i:], for text and the end tag of
// the same name (raw, as written): the usual <DECOM>01/04/2024</DECOM>. It
// returns the end of the end tag, having put the text in t.text, or 0 when
// what follows is anything else or is not all in b. The text must be plain
// (see plainText) and hold no line break, so that the line of the whole is
// the line of its start tag.
func (t *xmlTokens) leafAhead(b []byte, i int, raw []byte) int {
	k := bytes.IndexByte(b[i:], '<')
	if k < 0 {
		return 0
	}
	e := i + k // the '<' of the end tag
	end := e + 2 + len(raw)
	if end >= len(b) || b[e+1] != '/' || b[end] != '>' || string(b[e+2:end]) != string(raw) {
		return 0
	}
	text := b[i:e]
	if !plainText(text) || bytes.IndexByte(text, '\n') >= 0 {
		return 0
	}
	t.text = text
	return end + 1
}

// elementName reads the name of a start or end tag at b[i:].
func (t *xmlTokens) elementName(b []byte, i int) (*xname, int, tokStatus) {
	j, ok := asciiName(b, i)
	if j >= len(b) {
		return nil, 0, tokMore
	}
	if !ok {
		return nil, 0, tokOther
	}
	raw := b[i:j]
	if t.names == nil {
		t.names = make([]nameSlot, nameTableSize)
	}
	h := nameHash(raw)
	for t.names[h].raw != "" {
		if t.names[h].raw == string(raw) {
			return t.names[h].n, j, tokDone
		}
		h = (h + 1) & (nameTableSize - 1)
	}
	if !nsLocalOK(raw) {
		return nil, 0, tokOther
	}
	local := string(raw)
	// As encoding/xml: with one colon between two non-empty parts the
	// local name is the second part; otherwise it is the whole name.
	if k := strings.IndexByte(local, ':'); k > 0 && k < len(local)-1 {
		local = local[k+1:]
	}
	n := &xname{local: local, upper: strings.ToUpper(local)}
	if t.nnames < maxXMLNames {
		t.names[h] = nameSlot{string(raw), n}
		t.nnames++
	}
	return n, j, tokDone
}

// asciiName reads a name at b[i:]: it ends at the first byte that cannot be
// part of a name. ok is false if that byte is not ASCII (encoding/xml takes
// non-ASCII letters, which are left to it) or the name is empty or does not
// start with a letter, '_' or ':'. The returned index is len(b) when the
// data ends inside the name.
func asciiName(b []byte, i int) (int, bool) {
	j := i
	for j < len(b) && isNameByte(b[j]) {
		j++
	}
	if j >= len(b) {
		return j, false
	}
	if b[j] >= utf8.RuneSelf || j == i {
		return j, false
	}
	c := b[i]
	return j, c == ':' || c == '_' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
}

func isNameByte(c byte) bool { return xmlByteClass[c]&className != 0 }

// Classes of bytes, for the loops over names and text.
const (
	className  = 1 << iota // may be part of a name (encoding/xml's isNameByte)
	classPlain             // text that decodes to itself: printable ASCII but & and ], tab, LF
)

var xmlByteClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		if 'A' <= b && b <= 'Z' || 'a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '_' || b == ':' || b == '.' || b == '-' {
			t[c] |= className
		}
		if b >= 0x20 && b < 0x7F && b != '&' && b != ']' || b == '\n' || b == '\t' {
			t[c] |= classPlain
		}
	}
	return t
}()

// nsLocalOK reports whether encoding/xml takes the name as an element or
// attribute name: at most one colon.
func nsLocalOK(raw []byte) bool {
	return bytes.Count(raw, []byte{':'}) <= 1
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// textToken decodes the text at buf[pos:] into t.text. It returns the
// bytes it spans, or -1 if the data ends before the text does (unless
// atEOF); ok is false for text that encoding/xml refuses.
func (t *xmlTokens) textToken(atEOF bool) (int, bool) {
	b := t.buf[t.pos:t.end]
	n := bytes.IndexByte(b, '<')
	if n < 0 {
		if !atEOF {
			return -1, true
		}
		n = len(b)
	}
	raw := b[:n]
	if plainText(raw) {
		t.text = raw // nothing to decode
		return n, true
	}
	if bytes.Contains(raw, []byte("]]>")) {
		return n, false
	}
	var ok bool
	t.dec, ok = decodeXMLText(t.dec[:0], raw, true)
	t.text = t.dec
	return n, ok
}

// plainText reports whether text is printable ASCII, tabs and line feeds,
// with no '&' or ']': text that decodes to itself.
func plainText(b []byte) bool {
	for _, c := range b {
		if xmlByteClass[c]&classPlain == 0 {
			return false
		}
	}
	return true
}

// decodeXMLText appends raw text (character data, or an attribute value
// without its quotes) decoded as encoding/xml decodes it: entities and
// character references replaced, CR LF and CR made LF (text only). ok is
// false where encoding/xml reports an error: an undefined or unterminated
// entity, a character XML does not allow, invalid UTF-8.
func decodeXMLText(dst, raw []byte, text bool) ([]byte, bool) {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '&':
			r, n := xmlEntity(raw[i:])
			if n == 0 {
				return dst, false
			}
			dst = utf8.AppendRune(dst, r)
			i += n
			continue
		case c == '\r':
			if text {
				dst = append(dst, '\n')
				if i+1 < len(raw) && raw[i+1] == '\n' {
					i++
				}
				i++
				continue
			}
		case c < 0x20:
			if c != '\t' && c != '\n' {
				return dst, false
			}
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && size == 1 || !isInCharacterRange(r) {
				return dst, false
			}
			dst = append(dst, raw[i:i+size]...)
			i += size
			continue
		}
		dst = append(dst, c)
		i++
	}
	return dst, true
}

// xmlEntity reads the entity or character reference at the start of b (at
// its '&') and returns the character and the bytes read, or 0 bytes where
// encoding/xml would report an error.
func xmlEntity(b []byte) (rune, int) {
	semi := bytes.IndexByte(b, ';')
	if semi < 0 {
		return 0, 0
	}
	body := b[1:semi]
	if len(body) > 0 && body[0] == '#' {
		digits, base := body[1:], 10
		if len(digits) > 0 && digits[0] == 'x' {
			digits, base = digits[1:], 16
		}
		if len(digits) == 0 {
			return 0, 0
		}
		for _, c := range digits {
			if !('0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
				return 0, 0
			}
		}
		v, err := strconv.ParseUint(string(digits), base, 64)
		if err != nil || v > unicode.MaxRune {
			return 0, 0
		}
		r := rune(v)
		if !utf8.ValidRune(r) {
			r = utf8.RuneError // string(rune(v)) of a surrogate, as encoding/xml
		}
		if !isInCharacterRange(r) {
			return 0, 0
		}
		return r, semi + 1
	}
	var r rune
	switch string(body) {
	case "lt":
		r = '<'
	case "gt":
		r = '>'
	case "amp":
		r = '&'
	case "apos":
		r = '\''
	case "quot":
		r = '"'
	default:
		return 0, 0
	}
	return r, semi + 1
}

// isInCharacterRange is encoding/xml's: the characters XML allows.
func isInCharacterRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// procInst reads a processing instruction <?target ...?>; the XML
// declaration's version and encoding are checked.
func (t *xmlTokens) procInst(b []byte) (int, tokStatus) {
	j, ok := asciiName(b, 2)
	if j >= len(b) {
		return 0, tokMore
	}
	if !ok {
		return 0, tokOther
	}
	target := b[2:j]
	i := skipSpace(b, j)
	if i >= len(b) {
		return 0, tokMore
	}
	k := bytes.Index(b[i:], []byte("?>"))
	if k < 0 {
		return 0, tokMore
	}
	if string(target) == "xml" {
		content := string(b[i : i+k])
		if ver := procInstParam("version", content); ver != "" && ver != "1.0" {
			return 0, tokOther
		}
		if enc := procInstParam("encoding", content); enc != "" && !strings.EqualFold(enc, "utf-8") {
			if t.charset(enc) != nil {
				return 0, tokOther
			}
		}
	}
	return i + k + 2, tokSkip
}

// bang reads <!-- comments --> and <![CDATA[ sections ]]>.
func (t *xmlTokens) bang(b []byte) (xtKind, *xname, int, tokStatus) {
	if len(b) < 4 {
		return 0, nil, 0, tokMore
	}
	switch {
	case b[2] == '-':
		if b[3] != '-' {
			return 0, nil, 0, tokOther
		}
		// As encoding/xml: the first "--" must be the end "-->".
		k := bytes.Index(b[4:], []byte("--"))
		if k < 0 || 4+k+2 >= len(b) {
			return 0, nil, 0, tokMore
		}
		if b[4+k+2] != '>' {
			return 0, nil, 0, tokOther
		}
		return 0, nil, 4 + k + 3, tokSkip
	case b[2] == '[':
		const open = "<![CDATA["
		if len(b) < len(open) {
			if !bytes.HasPrefix([]byte(open), b) {
				return 0, nil, 0, tokOther
			}
			return 0, nil, 0, tokMore
		}
		if string(b[:len(open)]) != open {
			return 0, nil, 0, tokOther
		}
		k := bytes.Index(b[len(open):], []byte("]]>"))
		if k < 0 {
			return 0, nil, 0, tokMore
		}
		raw := b[len(open) : len(open)+k]
		var ok bool
		t.dec = t.dec[:0]
		for i := 0; i < len(raw); {
			// CDATA: no entities, but line ends and characters as in text.
			j := i
			for j < len(raw) && raw[j] != '&' {
				j++
			}
			if t.dec, ok = decodeXMLText(t.dec, raw[i:j], true); !ok {
				return 0, nil, 0, tokOther
			}
			if j < len(raw) {
				t.dec = append(t.dec, '&')
				j++
			}
			i = j
		}
		t.text = t.dec
		return xtText, nil, len(open) + k + 3, tokDone
	}
	return 0, nil, 0, tokOther // a directive such as <!DOCTYPE ...>
}

// procInstParam is encoding/xml's procInst: the value of param="..." or
// param='...' in a processing instruction's content, or "".
func procInstParam(param, s string) string {
	param = param + "="
	lenp := len(param)
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || lenp+k >= len(sub) {
			return ""
		}
		i += lenp + k + 1
		if c := sub[lenp+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}
