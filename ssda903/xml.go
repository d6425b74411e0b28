package ssda903

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
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
	line int
	text []byte
	rec  *xrecord
	long bool // leaf text was cut at maxXMLLeafText
}

type xrecord struct {
	table   TableName // "" while the element is not a known container
	name    string
	line    int
	vals    []string // canonical columns of table
	set     []bool
	generic []xkv // for an unknown container: its leaves, to recognise at its end
}

type xkv struct{ name, value string }

type xchild struct {
	line    int
	header  []string
	hset    []bool
	hline   int
	records []*xrecord
}

type xmlReader struct {
	file    string
	dec     *xml.Decoder
	fs      *findingSink
	emit    func(*Table, Row) error
	tables  map[TableName]*Table
	order   []*Table
	stack   []*xframe
	pool    []*xframe // frames to reuse, with their text buffers
	scratch []byte
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

func (x *xmlReader) line() int {
	l, _ := x.dec.InputPos()
	return l
}

// scanXML reads an EXPSSDA903 XML return from r, streaming: memory holds one
// CHILD element at a time plus whatever emit keeps.
func scanXML(r io.Reader, file string, emit func(*Table, Row) error, fs *findingSink) ([]*Table, error) {
	fix := &fixUTF8Reader{r: r}
	x := &xmlReader{file: file, fs: fs, emit: emit, tables: map[TableName]*Table{}, unknown: map[string]bool{}}
	x.dec = xml.NewDecoder(fix)
	x.dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(strings.TrimSpace(label)) {
		case "utf-8", "utf8", "us-ascii", "ascii", "windows-1252", "cp1252", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "utf-16", "utf16":
			// The input has already been made valid UTF-8 (fixUTF8Reader
			// decodes non-UTF-8 bytes as Windows-1252; UTF-16 was transcoded).
			x.decl = label
			return in, nil
		}
		return nil, fmt.Errorf("the XML declares the encoding %q, which is not supported; save it as UTF-8", label)
	}
	for _, t := range xmlTables {
		x.table(t)
	}
	sawRoot, closedRoot := false, false
	// RawToken is Token without name-space translation and without the
	// check that end tags match start tags, which the frame stack does
	// below; it allocates a quarter less.
	for {
		tok, err := x.dec.RawToken()
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
		switch t := tok.(type) {
		case xml.StartElement:
			if closedRoot {
				return x.order, fmt.Errorf("the XML has content after </%s> at line %d; a file must hold one return", "EXPSSDA903", x.line())
			}
			if err := x.start(strings.ToUpper(t.Name.Local)); err != nil {
				return x.order, err
			}
			sawRoot = true
		case xml.CharData:
			if n := len(x.stack); n > 0 {
				f := x.stack[n-1]
				if f.kind == fLeaf {
					if len(f.text)+len(t) > maxXMLLeafText {
						f.long = true
					} else {
						f.text = append(f.text, t...)
					}
				}
			}
		case xml.EndElement:
			if n := len(x.stack); n == 0 || !strings.EqualFold(x.stack[n-1].name, t.Name.Local) {
				return x.order, fmt.Errorf("the XML is malformed at line %d: </%s> closes <%s>; export it again, or correct it in a text editor", x.line(), truncString(t.Name.Local, 40), x.openPath())
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
	if fix.sawInvalid && x.decl == "" {
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

func (x *xmlReader) start(name string) error {
	line := x.line()
	n := len(x.stack)
	if n == 0 {
		if name != "EXPSSDA903" {
			return fmt.Errorf("this is not an SSDA903 XML return: its root element is <%s>, not <EXPSSDA903>", truncString(name, 40))
		}
		x.stack = append(x.stack, x.frame(fRoot, name, line))
		return nil
	}
	if n >= maxXMLDepth {
		return fmt.Errorf("the XML is nested more than %d elements deep at line %d; this is not an SSDA903 return", maxXMLDepth, line)
	}
	parent := x.stack[n-1]
	f := x.frame(fSkip, name, line)
	switch parent.kind {
	case fRoot:
		if name == "CHILD" {
			f.kind = fChild
			x.child = &xchild{line: line, header: make([]string, len(headerFields)), hset: make([]bool, len(headerFields))}
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
		} else if t, ok := xmlContainers[name]; ok {
			f.kind = fRecord
			f.rec = &xrecord{table: t, name: name, line: line, vals: make([]string, len(Columns[t])), set: make([]bool, len(Columns[t]))}
		} else {
			f.kind = fLeaf
		}
	case fRecord:
		f.kind = fLeaf
	case fLeaf:
		// The parent was taken for a value but holds elements.
		grand := x.stack[n-2]
		pname := parent.name
		if a, ok := headerAliases[pname]; ok {
			pname = a
		}
		if (grand.kind == fChild || grand.kind == fHeader) && !isKnownColumn(pname) {
			// An unknown record element (e.g. a table added in a later
			// schema): collect its leaves and recognise it at its end.
			parent.kind = fRecord
			parent.rec = &xrecord{name: parent.name, line: parent.line}
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
func (x *xmlReader) frame(kind xframeKind, name string, line int) *xframe {
	var f *xframe
	if n := len(x.pool); n > 0 {
		f = x.pool[n-1]
		x.pool = x.pool[:n-1]
		*f = xframe{text: f.text[:0]}
	} else {
		f = &xframe{}
	}
	f.kind, f.name, f.line = kind, name, line
	return f
}

// value normalises a leaf's text for a column of kind k.
func (x *xmlReader) value(text []byte, k colKind) string {
	x.scratch = appendNormalised(x.scratch[:0], text, k)
	return string(x.scratch)
}

func (x *xmlReader) leaf(parent *xframe, f *xframe) {
	name := f.name
	if a, ok := headerAliases[name]; ok {
		name = a
	}
	switch parent.kind {
	case fRecord:
		rec := parent.rec
		if rec.table == "" {
			rec.generic = append(rec.generic, xkv{name, string(f.text)})
			return
		}
		c := Col(rec.table, name)
		if c < 0 {
			x.addExtra(rec.table, f.name)
			return
		}
		if rec.set[c] {
			x.repeated(f)
			return
		}
		rec.set[c] = true
		rec.vals[c] = x.value(f.text, tableKinds[rec.table][c])
	case fHeader, fChild:
		i, ok := headerFieldIndex[name]
		if !ok {
			x.addExtra(Header, f.name)
			return
		}
		if x.child.hset[i] {
			x.repeated(f)
			return
		}
		x.child.hset[i] = true
		x.child.header[i] = x.value(f.text, kindOf(name))
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
		rec.vals = make([]string, len(Columns[rc.Table]))
		rec.set = make([]bool, len(Columns[rc.Table]))
		for _, kv := range rec.generic {
			c := Col(rec.table, kv.name)
			if c < 0 {
				x.addExtra(rec.table, kv.name)
				continue
			}
			if !rec.set[c] {
				rec.set[c] = true
				rec.vals[c] = normaliseString(kv.value, tableKinds[rec.table][c])
			}
		}
		rec.generic = nil
	}
	x.child.records = append(x.child.records, rec)
}

func (x *xmlReader) childID() string {
	if x.child == nil {
		return ""
	}
	return x.child.header[0]
}

func (x *xmlReader) hv(name string) string { return x.child.header[headerFieldIndex[name]] }

// flushChild turns one CHILD element into rows and emits them.
func (x *xmlReader) flushChild() error {
	ch := x.child
	x.child = nil
	if ch == nil {
		return nil
	}
	x.child = ch // for hv
	defer func() { x.child = nil }()
	hline := ch.hline
	if hline == 0 {
		hline = ch.line
	}
	mk := func(t TableName, line int, get func(col string) string) error {
		cols := Columns[t]
		vals := make([]string, len(cols))
		for i, c := range cols {
			vals[i] = get(c)
		}
		return x.emit(x.table(t), Row{Line: line, Values: vals})
	}
	anyHeader := false
	for _, set := range ch.hset {
		anyHeader = anyHeader || set
	}
	if anyHeader {
		if err := mk(Header, hline, x.hv); err != nil {
			return err
		}
	}
	for _, d := range headerDerived {
		on := false
		for _, c := range d.trigger {
			if x.hv(c) != "" {
				on = true
			}
		}
		if d.table == UASC {
			switch x.hv("UASC") {
			case "1", "Y", "YES", "TRUE":
				on = true
			}
		}
		if on {
			if err := mk(d.table, hline, x.hv); err != nil {
				return err
			}
		}
	}
	id, dob := x.hv("CHILD"), x.hv("DOB")
	for _, rec := range ch.records {
		if c := Col(rec.table, "CHILD"); c >= 0 && rec.vals[c] == "" {
			rec.vals[c] = id
		}
		if c := Col(rec.table, "DOB"); c >= 0 && rec.vals[c] == "" {
			rec.vals[c] = dob
		}
		if err := x.emit(x.table(rec.table), Row{Line: rec.line, Values: rec.vals}); err != nil {
			return err
		}
	}
	return nil
}

func truncString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return string(truncBytes([]byte(s), n))
}
