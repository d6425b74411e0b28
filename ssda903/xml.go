package ssda903

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unsafe"
)

// The DfE XML return (EXPSSDA903, schema CLA.xsd) holds one CHILD element per
// child: a HEADER with the child's details, and EPISODE elements. The HEADER
// also carries what the CSV format splits into other tables: the UASC flag
// and DUC (UASC table), the adoption decision dates (AD1), the care leaver
// fields (OC3), AMISSING (Missing), AREVIEW (Reviews), PERMANENCE (PrevPerm),
// OC2 and AD_PLACED (PlacedAdoption). The XML reader splits them into the
// same Tables as the CSV reader, with CHILDID read as CHILD and PL as PLACE.

// xmlContainers maps the XML record elements to their tables.
var xmlContainers = map[string]TableName{
	"EPISODE":    Episodes,
	"AMISSING":   Missing,
	"AREVIEW":    Reviews,
	"PERMANENCE": PrevPerm,
	"OC2":        OC2,
	"AD_PLACED":  PlacedAdoption,
}

// xmlTables are the tables an XML return always carries (possibly empty).
var xmlTables = []TableName{Header, Episodes, UASC, Missing, Reviews, OC2, OC3, AD1, PlacedAdoption, PrevPerm}

// headerFields are the leaf elements of HEADER, in a fixed order.
var headerFields = []string{
	"CHILD", "UPN", "SEX", "DOB", "ETHNIC", "UASC", "DUC", "DATE_INT", "DATE_MATCH", "FOSTER_CARE",
	"NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR", "IN_TOUCH", "ACTIV", "ACCOM", "MOTHER", "MC_DOB",
}

var headerFieldIndex = func() map[string]int {
	m := make(map[string]int, len(headerFields))
	for i, f := range headerFields {
		m[f] = i
	}
	return m
}()

// What HEADER fields make a row of each derived table: the row exists when
// any of these is non-blank.
var headerDerived = []struct {
	table   TableName
	trigger []string
}{
	{UASC, []string{"DUC"}}, // and the UASC flag, see flushChild
	{OC3, []string{"IN_TOUCH", "ACTIV", "ACCOM"}},
	{AD1, []string{"DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"}},
}

const (
	maxXMLDepth    = 32
	maxXMLLeafText = 64 << 10
)

type xframeKind uint8

const (
	fRoot xframeKind = iota
	fChild
	fHeader
	fRecord
	fLeaf
	fSkip
)

type xframe struct {
	kind xframeKind
	name string
	info *xnameInfo
	line int
	text []byte
	rec  *xrecord
	long bool // leaf text was cut at maxXMLLeafText
}

// xmlContainerTables are the tables of xmlContainers, in a fixed order.
var xmlContainerTables = [nXMLContainers]TableName{Episodes, Missing, Reviews, PrevPerm, OC2, PlacedAdoption}

const nXMLContainers = 6

// xnameInfo is what an element name means to the reader, worked out once
// per distinct name (the maps and column lists are not searched for every
// element).
type xnameInfo struct {
	ready     bool
	alias     string               // the canonical column name (CHILDID is CHILD, PL is PLACE)
	container int                  // index in xmlContainerTables of the record it opens, or -1
	hidx      int                  // index in headerFields, or -1
	kind      colKind              // kindOf(alias)
	known     bool                 // isKnownColumn(alias)
	cols      [nXMLContainers]int8 // Col(xmlContainerTables[i], alias)
}

// nameInfo returns the meaning of an upper-case element name.
func nameInfo(info *xnameInfo, upper string) *xnameInfo {
	if info.ready {
		return info
	}
	info.ready = true
	info.alias = upper
	if a, ok := headerAliases[upper]; ok {
		info.alias = a
	}
	info.container = -1
	if t, ok := xmlContainers[upper]; ok {
		for i, ct := range xmlContainerTables {
			if ct == t {
				info.container = i
			}
		}
	}
	info.hidx = -1
	if i, ok := headerFieldIndex[info.alias]; ok {
		info.hidx = i
	}
	info.kind = kindOf(info.alias)
	info.known = isKnownColumn(info.alias)
	for i, t := range xmlContainerTables {
		info.cols[i] = int8(Col(t, info.alias))
	}
	return info
}

type xrecord struct {
	table   TableName // "" while the element is not a known container
	ti      int       // index of table in xmlContainerTables, or -1
	name    string
	line    int
	vals    []string // canonical columns of table
	set     uint64   // bit c: column c has been given (tables have < 64 columns)
	lower   uint64   // bit c: code column c was written in lower case (Row.Lower)
	generic []xkv    // for an unknown container: its leaves, to recognise at its end
}

func (r *xrecord) isSet(c int) bool { return c < 64 && r.set&(1<<uint(c)) != 0 }
func (r *xrecord) mark(c int) {
	if c < 64 {
		r.set |= 1 << uint(c)
	}
}

type xkv struct{ name, value string }

type xchild struct {
	line    int
	header  []string
	hset    []bool
	hlower  []bool // header field written in lower case (a code field)
	hline   int
	records []*xrecord
}

type xmlReader struct {
	childBuf  xchild                 // the CHILD being read (child points to it)
	hdrTables []*Table               // the tables of xmlHeaderTables, once used
	recTables [nXMLContainers]*Table // the tables of xmlContainerTables, once used
	leafFrame xframe                 // the frame of quickLeaf
	recPool   []*xrecord             // records to reuse
	slab      []string               // Values of rows to come
	arena     []byte                 // text of values to come: strings point into it

	file    string
	tok     *xmlTokens
	fs      *findingSink
	emit    func(*Table, Row) error
	tables  map[TableName]*Table
	order   []*Table
	stack   []*xframe
	pool    []*xframe // frames to reuse, with their text buffers
	child   *xchild
	unknown map[string]bool // element names already reported
	decl    string          // the encoding the XML declaration names, if not UTF-8
}

func (x *xmlReader) table(t TableName) *Table {
	if tb := x.tables[t]; tb != nil {
		return tb
	}
	p := make([]bool, len(Columns[t]))
	for i := range p {
		p[i] = true
	}
	tb := &Table{Name: t, File: x.file, Layout: LayoutXML, Present: p}
	x.tables[t] = tb
	x.order = append(x.order, tb)
	return tb
}

// maxExtra bounds the extra element names recorded per table.
const maxExtra = 100

func (x *xmlReader) addExtra(t TableName, name string) {
	tb := x.table(t)
	if len(tb.Extra) >= maxExtra {
		return
	}
	for _, e := range tb.Extra {
		if e == name {
			return
		}
	}
	tb.Extra = append(tb.Extra, name)
}

func (x *xmlReader) line() int { return x.tok.Line() }

// scanXML reads an EXPSSDA903 XML return from r, streaming: memory holds one
// CHILD element at a time plus whatever emit keeps.
func scanXML(r io.Reader, file string, emit func(*Table, Row) error, fs *findingSink) ([]*Table, error) {
	return scanXMLWith(r, file, emit, fs, false)
}

// scanXMLWith is scanXML; with std, every token is read by encoding/xml (as
// the reader did before it had its own tokenizer): the fuzz target
// FuzzXMLTokensAgainstStd compares the two.
func scanXMLWith(r io.Reader, file string, emit func(*Table, Row) error, fs *findingSink, std bool) ([]*Table, error) {
	return newXMLReader(r, file, emit, fs, std).scan()
}

func newXMLReader(r io.Reader, file string, emit func(*Table, Row) error, fs *findingSink, std bool) *xmlReader {
	x := &xmlReader{file: file, fs: fs, emit: emit, tables: map[TableName]*Table{}, unknown: map[string]bool{},
		hdrTables: make([]*Table, len(xmlHeaderTables))}
	x.tok = newXMLTokens(r, func(label string) error {
		switch strings.ToLower(strings.TrimSpace(label)) {
		case "utf-8", "utf8", "us-ascii", "ascii", "windows-1252", "cp1252", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "utf-16", "utf16":
			// The input has already been made valid UTF-8 (fixUTF8Reader
			// decodes non-UTF-8 bytes as Windows-1252; UTF-16 was transcoded).
			x.decl = label
			return nil
		}
		return fmt.Errorf("the XML declares the encoding %q, which is not supported; save it as UTF-8", label)
	})
	if std {
		x.tok.fallback()
	}
	return x
}

func (x *xmlReader) scan() ([]*Table, error) {
	file, fs := x.file, x.fs
	for _, t := range xmlTables {
		x.table(t)
	}
	sawRoot, closedRoot := false, false
	// The tokens are RawToken's: no name-space translation and no check
	// that end tags match start tags, which the frame stack does below.
	for {
		// Text matters only inside a value; elsewhere the tokenizer may
		// skip it (once checked).
		x.tok.wantText = len(x.stack) > 0 && x.stack[len(x.stack)-1].kind == fLeaf
		kind, name, text, err := x.tok.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				if strings.Contains(se.Msg, "unexpected EOF") {
					return x.order, fmt.Errorf("the XML ends unexpectedly at line %d, inside <%s>: the file is truncated. Export or copy it again", se.Line, x.openPath())
				}
				return x.order, fmt.Errorf("the XML is malformed at line %d (%s); it cannot be read further. Export it again, or correct it in a text editor", se.Line, se.Msg)
			}
			return x.order, fmt.Errorf("the XML could not be read at line %d: %v", x.line(), err)
		}
		switch kind {
		case xtStart:
			if closedRoot {
				return x.order, fmt.Errorf("the XML has content after </%s> at line %d; a file must hold one return", "EXPSSDA903", x.line())
			}
			if err := x.start(name); err != nil {
				return x.order, err
			}
			sawRoot = true
		case xtLeaf:
			// A start tag, its text and its end tag, as the three tokens
			// would be read, usually without a frame of its own.
			if closedRoot {
				return x.order, fmt.Errorf("the XML has content after </%s> at line %d; a file must hold one return", "EXPSSDA903", x.line())
			}
			if x.quickLeaf(name, text) {
				continue
			}
			if err := x.start(name); err != nil {
				return x.order, err
			}
			sawRoot = true
			if f := x.stack[len(x.stack)-1]; f.kind == fLeaf {
				if len(text) > maxXMLLeafText {
					f.long = true
				} else {
					f.text = append(f.text, text...)
				}
			}
			done, err := x.end()
			if err != nil {
				return x.order, err
			}
			if done {
				closedRoot = true
			}
		case xtText:
			if n := len(x.stack); n > 0 {
				f := x.stack[n-1]
				if f.kind == fLeaf {
					if len(f.text)+len(text) > maxXMLLeafText {
						f.long = true
					} else {
						f.text = append(f.text, text...)
					}
				}
			}
		case xtEnd:
			if n := len(x.stack); n == 0 || !strings.EqualFold(x.stack[n-1].name, name.local) {
				return x.order, fmt.Errorf("the XML is malformed at line %d: </%s> closes <%s>; export it again, or correct it in a text editor", x.line(), truncString(name.local, 40), x.openPath())
			}
			done, err := x.end()
			if err != nil {
				return x.order, err
			}
			if done {
				closedRoot = true
			}
		}
	}
	if !sawRoot {
		return x.order, errors.New("the file holds no XML elements")
	}
	if !closedRoot {
		return x.order, fmt.Errorf("the XML ends before </EXPSSDA903>, inside <%s>: the file is truncated. Export or copy it again", x.openPath())
	}
	if x.tok.sawInvalid() && x.decl == "" {
		fs.add(Finding{Severity: SeverityWarning, RuleCode: "READ-ENCODING", File: file,
			Message: "the XML is declared (or assumed) UTF-8 but has bytes that are not; they were read as Windows-1252. Check names and postcodes with accents look right"})
	}
	return x.order, nil
}

func (x *xmlReader) openPath() string {
	var names []string
	for _, f := range x.stack {
		names = append(names, f.name)
	}
	if len(names) == 0 {
		return "?"
	}
	return strings.Join(names, "/")
}

func (x *xmlReader) start(xn *xname) error {
	name := xn.upper
	line := x.line()
	n := len(x.stack)
	if n == 0 {
		if name != "EXPSSDA903" {
			return fmt.Errorf("this is not an SSDA903 XML return: its root element is <%s>, not <EXPSSDA903>", truncString(name, 40))
		}
		x.stack = append(x.stack, x.frame(fRoot, name, line, nil))
		return nil
	}
	if n >= maxXMLDepth {
		return fmt.Errorf("the XML is nested more than %d elements deep at line %d; this is not an SSDA903 return", maxXMLDepth, line)
	}
	parent := x.stack[n-1]
	info := nameInfo(&xn.info, name)
	f := x.frame(fSkip, name, line, info)
	switch parent.kind {
	case fRoot:
		if name == "CHILD" {
			f.kind = fChild
			x.child = x.newChild(line)
		} else {
			f.kind = fSkip
			x.reportUnknown(name, line, "outside any <CHILD>")
		}
	case fChild, fHeader:
		if parent.kind == fChild && name == "HEADER" {
			f.kind = fHeader
			if x.child.hline == 0 {
				x.child.hline = line
			}
		} else if info.container >= 0 {
			f.kind = fRecord
			t := xmlContainerTables[info.container]
			f.rec = x.newRecord(name, line)
			f.rec.table, f.rec.ti, f.rec.vals = t, info.container, x.newVals(len(Columns[t]))
		} else {
			f.kind = fLeaf
		}
	case fRecord:
		f.kind = fLeaf
	case fLeaf:
		// The parent was taken for a value but holds elements.
		grand := x.stack[n-2]
		if (grand.kind == fChild || grand.kind == fHeader) && !parent.info.known {
			// An unknown record element (e.g. a table added in a later
			// schema): collect its leaves and recognise it at its end.
			parent.kind = fRecord
			parent.rec = x.newRecord(parent.name, parent.line)
			f.kind = fLeaf
		} else {
			parent.kind = fSkip
			x.fs.add(Finding{Severity: SeverityError, RuleCode: "READ-XML-VALUE", File: x.file, Line: parent.line, Child: x.childID(),
				Columns: []string{parent.name},
				Message: fmt.Sprintf("<%s> should hold a value but holds the element <%s>; its value was read as blank. Correct the XML", parent.name, truncString(name, 40))})
			f.kind = fSkip
		}
	case fSkip:
		f.kind = fSkip
	}
	x.stack = append(x.stack, f)
	return nil
}

// quickLeaf reads <NAME>text</NAME> as start, the text and end would when
// it makes a leaf value of a record, HEADER or CHILD, without a frame. It
// reports false, having done nothing, for anything else.
func (x *xmlReader) quickLeaf(xn *xname, text []byte) bool {
	n := len(x.stack)
	if n == 0 || n >= maxXMLDepth {
		return false
	}
	parent := x.stack[n-1]
	info := nameInfo(&xn.info, xn.upper)
	switch parent.kind {
	case fRecord:
	case fChild, fHeader:
		if parent.kind == fChild && xn.upper == "HEADER" || info.container >= 0 {
			return false
		}
	default:
		return false
	}
	f := &x.leafFrame
	*f = xframe{kind: fLeaf, name: xn.upper, info: info, line: x.line(), text: text}
	if len(text) > maxXMLLeafText {
		f.text = nil
		x.fs.add(Finding{Severity: SeverityError, RuleCode: "READ-XML-VALUE", File: x.file, Line: f.line, Child: x.childID(), Columns: []string{f.name},
			Message: fmt.Sprintf("<%s> holds more than %d bytes; it was cut. Correct the XML", f.name, maxXMLLeafText)})
	}
	x.leaf(parent, f)
	f.text = nil
	return true
}

// end closes the innermost element. It reports true when the root closed.
func (x *xmlReader) end() (bool, error) {
	n := len(x.stack)
	if n == 0 {
		return false, nil
	}
	f := x.stack[n-1]
	x.stack = x.stack[:n-1]
	defer func() { x.pool = append(x.pool, f) }()
	switch f.kind {
	case fRoot:
		return true, nil
	case fLeaf:
		if f.long {
			x.fs.add(Finding{Severity: SeverityError, RuleCode: "READ-XML-VALUE", File: x.file, Line: f.line, Child: x.childID(), Columns: []string{f.name},
				Message: fmt.Sprintf("<%s> holds more than %d bytes; it was cut. Correct the XML", f.name, maxXMLLeafText)})
		}
		x.leaf(x.stack[n-2], f)
	case fRecord:
		x.closeRecord(f)
	case fChild:
		return false, x.flushChild()
	}
	return false, nil
}

// frame returns a frame for a new element, reusing a closed one.
func (x *xmlReader) frame(kind xframeKind, name string, line int, info *xnameInfo) *xframe {
	var f *xframe
	if n := len(x.pool); n > 0 {
		f = x.pool[n-1]
		x.pool = x.pool[:n-1]
		*f = xframe{text: f.text[:0]}
	} else {
		f = &xframe{}
	}
	f.kind, f.name, f.line, f.info = kind, name, line, info
	return f
}

// newChild starts a CHILD element, reusing the reader's.
func (x *xmlReader) newChild(line int) *xchild {
	ch := &x.childBuf
	if ch.header == nil {
		ch.header = make([]string, len(headerFields))
		ch.hset = make([]bool, len(headerFields))
		ch.hlower = make([]bool, len(headerFields))
	}
	clear(ch.header)
	clear(ch.hset)
	clear(ch.hlower)
	ch.line, ch.hline, ch.records = line, 0, ch.records[:0]
	return ch
}

// newRecord returns a record to fill, reusing one already emitted.
func (x *xmlReader) newRecord(name string, line int) *xrecord {
	var r *xrecord
	if n := len(x.recPool); n > 0 {
		r = x.recPool[n-1]
		x.recPool = x.recPool[:n-1]
		*r = xrecord{generic: r.generic[:0]}
	} else {
		r = &xrecord{}
	}
	r.name, r.line, r.ti = name, line, -1
	return r
}

// newVals returns n blank values for a row, from a slab shared by rows.
func (x *xmlReader) newVals(n int) []string {
	if len(x.slab) < n {
		size := 2 * cap(x.slab)
		size = max(size, 64)
		size = min(size, slabRows*8)
		x.slab = make([]string, max(size, n))
	}
	v := x.slab[:n:n]
	x.slab = x.slab[n:]
	return v
}

// value normalises a leaf's text for a column of kind k. The strings of
// values point into blocks of text that are only appended to (as the CSV
// reader's rows do).
func (x *xmlReader) value(text []byte, k colKind) string {
	if cap(x.arena)-len(x.arena) < len(text) {
		size := min(max(2*cap(x.arena), 4<<10), arenaBytes)
		x.arena = make([]byte, 0, max(size, len(text)))
	}
	start := len(x.arena)
	// Normalising never makes a value longer: the block is not reallocated.
	x.arena = appendNormalised(x.arena, text, k)
	if len(x.arena) == start {
		return ""
	}
	return unsafe.String(&x.arena[start], len(x.arena)-start)
}

func (x *xmlReader) leaf(parent *xframe, f *xframe) {
	info := f.info
	switch parent.kind {
	case fRecord:
		rec := parent.rec
		if rec.table == "" {
			rec.generic = append(rec.generic, xkv{info.alias, string(f.text)})
			return
		}
		var c int
		if rec.ti >= 0 {
			c = int(info.cols[rec.ti])
		} else {
			c = Col(rec.table, info.alias)
		}
		if c < 0 {
			x.addExtra(rec.table, f.name)
			return
		}
		if rec.isSet(c) {
			x.repeated(f)
			return
		}
		rec.mark(c)
		var k colKind
		if rec.ti >= 0 {
			k = xmlContainerCols[rec.ti].kinds[c]
		} else {
			k = tableKinds[rec.table][c]
		}
		rec.vals[c] = x.value(f.text, k)
		if k == kindCode && c < 64 && hasLowerASCII(f.text) {
			rec.lower |= 1 << uint(c)
		}
	case fHeader, fChild:
		i := info.hidx
		if i < 0 {
			x.addExtra(Header, f.name)
			return
		}
		if x.child.hset[i] {
			x.repeated(f)
			return
		}
		x.child.hset[i] = true
		x.child.header[i] = x.value(f.text, info.kind)
		x.child.hlower[i] = info.kind == kindCode && hasLowerASCII(f.text)
	}
}

func (x *xmlReader) repeated(f *xframe) {
	x.fs.add(Finding{Severity: SeverityWarning, RuleCode: "READ-XML-REPEAT", File: x.file, Line: f.line, Child: x.childID(), Columns: []string{f.name},
		Message: fmt.Sprintf("<%s> appears twice in the same record; the first value was kept. Remove the duplicate", f.name)})
}

func (x *xmlReader) reportUnknown(name string, line int, where string) {
	if x.unknown[name] {
		return
	}
	x.unknown[name] = true
	x.fs.add(Finding{Severity: SeverityWarning, RuleCode: "READ-XML-UNKNOWN", File: x.file, Line: line,
		Message: fmt.Sprintf("the element <%s> %s is not part of the SSDA903 return; it was ignored", truncString(name, 40), where)})
}

func (x *xmlReader) closeRecord(f *xframe) {
	rec := f.rec
	if rec.table == "" {
		names := make([]string, 0, len(rec.generic)+1)
		seen := map[string]bool{}
		for _, kv := range rec.generic {
			if !seen[kv.name] {
				seen[kv.name] = true
				names = append(names, kv.name)
			}
		}
		if !seen["CHILD"] {
			names = append(names, "CHILD")
		}
		rc, err := RecogniseTable(names)
		if err != nil || rc.Layout != LayoutDfECSV {
			x.reportUnknown(f.name, f.line, "(a group of values that matches no SSDA903 table)")
			return
		}
		rec.table = rc.Table
		rec.vals = x.newVals(len(Columns[rc.Table]))
		rec.set = 0
		for _, kv := range rec.generic {
			c := Col(rec.table, kv.name)
			if c < 0 {
				x.addExtra(rec.table, kv.name)
				continue
			}
			if !rec.isSet(c) {
				rec.mark(c)
				k := tableKinds[rec.table][c]
				rec.vals[c] = normaliseString(kv.value, k)
				if k == kindCode && c < 64 && hasLowerASCII([]byte(kv.value)) {
					rec.lower |= 1 << uint(c)
				}
			}
		}
		rec.generic = rec.generic[:0]
	}
	x.child.records = append(x.child.records, rec)
}

func (x *xmlReader) childID() string {
	if x.child == nil {
		return ""
	}
	return x.child.header[0]
}

// uascSupplied marks the XML Header's UASC flag as supplied
// (SuppliedColumns[Header] is just UASC).
var uascSupplied = []bool{true}

// xmlHeaderTables are the tables made from HEADER fields: Header (made
// when any field is given) and the tables of headerDerived, with the header
// field of each of their columns.
var xmlHeaderTables = func() []xmlHeaderTable {
	hts := []xmlHeaderTable{{table: Header}}
	for _, d := range headerDerived {
		ht := xmlHeaderTable{table: d.table}
		for _, c := range d.trigger {
			ht.trigger = append(ht.trigger, headerFieldIndex[c])
		}
		hts = append(hts, ht)
	}
	for i := range hts {
		for _, c := range Columns[hts[i].table] {
			hts[i].cols = append(hts[i].cols, headerFieldIndex[c])
		}
	}
	return hts
}()

type xmlHeaderTable struct {
	table   TableName
	cols    []int // index in headerFields of each column
	trigger []int // fields that make a row when not blank
}

// xmlContainerCols are the CHILD and DOB columns of each table of
// xmlContainerTables (filled from HEADER when the record has none), and
// the kinds of its columns.
var xmlContainerCols = func() (cc [nXMLContainers]struct {
	child, dob int
	kinds      []colKind
}) {
	for i, t := range xmlContainerTables {
		cc[i].child, cc[i].dob, cc[i].kinds = Col(t, "CHILD"), Col(t, "DOB"), tableKinds[t]
	}
	return cc
}()

// flushChild turns one CHILD element into rows and emits them.
func (x *xmlReader) flushChild() error {
	ch := x.child
	x.child = nil
	if ch == nil {
		return nil
	}
	x.child = ch
	defer func() { x.child = nil }()
	hline := ch.hline
	if hline == 0 {
		hline = ch.line
	}
	h := ch.header
	for i := range xmlHeaderTables {
		ht := &xmlHeaderTables[i]
		on := false
		if ht.table == Header {
			for _, set := range ch.hset {
				on = on || set
			}
		}
		for _, c := range ht.trigger {
			if h[c] != "" {
				on = true
			}
		}
		if ht.table == UASC {
			switch h[headerFieldIndex["UASC"]] {
			case "1", "Y", "YES", "TRUE":
				on = true
			}
		}
		if !on {
			continue
		}
		vals := x.newVals(len(ht.cols))
		var lower uint64
		for j, c := range ht.cols {
			vals[j] = h[c]
			if ch.hlower[c] && j < 64 {
				lower |= 1 << uint(j)
			}
		}
		if x.hdrTables[i] == nil {
			x.hdrTables[i] = x.table(ht.table)
		}
		row := Row{Line: hline, Values: vals, Lower: lower}
		if ht.table == Header {
			// The UASC flag as written, for the rules that check it (105, 303, 205C, 205D).
			x.hdrTables[i].Supplied = uascSupplied
			if f := h[headerFieldIndex["UASC"]]; f != "" {
				row.Supplied = []string{f}
			}
		}
		if err := x.emit(x.hdrTables[i], row); err != nil {
			return err
		}
	}
	id, dob := h[headerFieldIndex["CHILD"]], h[headerFieldIndex["DOB"]]
	for _, rec := range ch.records {
		var cc, dc int
		var tb *Table
		if rec.ti >= 0 {
			cc, dc = xmlContainerCols[rec.ti].child, xmlContainerCols[rec.ti].dob
			if x.recTables[rec.ti] == nil {
				x.recTables[rec.ti] = x.table(rec.table)
			}
			tb = x.recTables[rec.ti]
		} else {
			cc, dc, tb = Col(rec.table, "CHILD"), Col(rec.table, "DOB"), x.table(rec.table)
		}
		if cc >= 0 && rec.vals[cc] == "" {
			rec.vals[cc] = id
		}
		if dc >= 0 && rec.vals[dc] == "" {
			rec.vals[dc] = dob
		}
		if err := x.emit(tb, Row{Line: rec.line, Values: rec.vals, Lower: rec.lower}); err != nil {
			return err
		}
	}
	for _, rec := range ch.records {
		rec.vals = nil
		x.recPool = append(x.recPool, rec)
	}
	ch.records = ch.records[:0]
	return nil
}

func truncString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return string(truncBytes([]byte(s), n))
}
