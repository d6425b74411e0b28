package ssda903

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// The XML reader's own tokenizer (xml_token.go) must read every input as
// encoding/xml did: the same tables, rows, values, findings and errors. The
// tests here read inputs both ways; the fuzz target does it for any input:
//
//	go test ./ssda903 -run '^$' -fuzz '^FuzzXMLTokensAgainstStd$' -fuzztime 120s

// xmlResult is everything a read gives.
type xmlResult struct {
	Tables   []*Table
	Findings []Finding
	Err      string
}

// readXMLWith reads data with the tokenizer (from r, which delivers the
// data) or with encoding/xml, and reports whether the tokenizer handed
// anything to encoding/xml.
func readXMLWith(r io.Reader, std bool) (xmlResult, bool) {
	fs := &findingSink{}
	keep := func(tb *Table, row Row) error {
		tb.Rows = append(tb.Rows, row)
		return nil
	}
	x := newXMLReader(r, "t.xml", keep, fs, std)
	tables, err := x.scan()
	res := xmlResult{Tables: tables, Findings: fs.done("t.xml")}
	if err != nil {
		res.Err = err.Error()
	}
	return res, x.tok.std != nil
}

// diffXML reads data three ways (the tokenizer from one buffer, the
// tokenizer one byte per read, encoding/xml) and fails on any difference.
// It returns whether the tokenizer (whole buffer) fell back.
func diffXML(t *testing.T, data []byte) bool {
	t.Helper()
	want, _ := readXMLWith(bytes.NewReader(data), true)
	got, fell := readXMLWith(bytes.NewReader(data), false)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("tokenizer and encoding/xml differ on %q:\n got  %s\n want %s", truncString(string(data), 300), dumpXMLResult(got), dumpXMLResult(want))
	}
	slow, _ := readXMLWith(iotest.OneByteReader(bytes.NewReader(data)), false)
	if !reflect.DeepEqual(slow, want) {
		t.Fatalf("tokenizer one byte at a time and encoding/xml differ on %q:\n got  %s\n want %s", truncString(string(data), 300), dumpXMLResult(slow), dumpXMLResult(want))
	}
	return fell
}

func dumpXMLResult(r xmlResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "err=%q\n", r.Err)
	for _, tb := range r.Tables {
		fmt.Fprintf(&b, "  %s extra=%q rows:", tb.Name, tb.Extra)
		for _, row := range tb.Rows {
			fmt.Fprintf(&b, " %d%q", row.Line, row.Values)
		}
		b.WriteString("\n")
	}
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "  %s line %d %s\n", f.RuleCode, f.Line, f.Message)
	}
	return b.String()
}

// xmlTokenCases are inputs at the edges of the tokenizer's subset. fast
// says the tokenizer reads it all itself (no fallback to encoding/xml).
var xmlTokenCases = []struct {
	name string
	data string
	fast bool
}{
	{"declaration and indentation", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<EXPSSDA903>\r\n  <CHILD>\r\n    <HEADER><CHILDID> 7 </CHILDID><SEX>m</SEX></HEADER>\r\n  </CHILD>\r\n</EXPSSDA903>\r\n", true},
	{"bom", "\uFEFF<EXPSSDA903><CHILD><HEADER><CHILDID>7</CHILDID></HEADER></CHILD></EXPSSDA903>", true},
	{"entities", `<EXPSSDA903><CHILD><HEADER><CHILDID>A&amp;B&lt;&gt;&apos;&quot;&#39;&#x41;&#X41;</CHILDID></HEADER></CHILD></EXPSSDA903>`, false},
	{"character references", `<EXPSSDA903><CHILD><HEADER><CHILDID>&#65;&#x42;&#x00043;&#233;&#x1F600;&#xD800;</CHILDID><UPN>&#13;x&#10;</UPN></HEADER></CHILD></EXPSSDA903>`, true},
	{"bad character reference", `<EXPSSDA903><CHILD><HEADER><CHILDID>&#1;</CHILDID></HEADER></CHILD></EXPSSDA903>`, false},
	{"undefined entity", "<EXPSSDA903>\n<CHILD><HEADER><CHILDID>&nbsp;</CHILDID></HEADER></CHILD></EXPSSDA903>", false},
	{"entity without semicolon", "<EXPSSDA903>\n<CHILD><HEADER><CHILDID>&amp</CHILDID></HEADER></CHILD></EXPSSDA903>", false},
	{"cdata", "<EXPSSDA903><CHILD><HEADER><CHILDID><![CDATA[ a&b<c>\r\n]] ]]>x</CHILDID></HEADER></CHILD></EXPSSDA903>", true},
	{"unterminated cdata", "<EXPSSDA903><CHILD><HEADER><CHILDID><![CDATA[ a", false},
	{"]]> in text", "<EXPSSDA903><CHILD><HEADER><CHILDID>a]]>b</CHILDID></HEADER></CHILD></EXPSSDA903>", false},
	{"comments and instructions", "<?xml version='1.0'?><!-- a - b --><EXPSSDA903><?pi x?><CHILD><!----><HEADER><CHILDID>1<!-- x -->2</CHILDID></HEADER></CHILD></EXPSSDA903><!-- end -->", true},
	{"double dash in comment", "<EXPSSDA903><!-- a -- b --></EXPSSDA903>", false},
	{"attributes and name spaces", `<d:EXPSSDA903 xmlns:d="urn:x" xmlns="urn:y" a = 'x&amp;"y' b="1"><d:CHILD><HEADER id="1"><CHILDID>1</CHILDID><DEC/><REC />` + "\n" + `</HEADER></d:CHILD></d:EXPSSDA903>`, true},
	{"attribute without value", `<EXPSSDA903 a><CHILD/></EXPSSDA903>`, false},
	{"unquoted attribute", `<EXPSSDA903 a=1><CHILD/></EXPSSDA903>`, false},
	{"< in attribute", `<EXPSSDA903 a="<"><CHILD/></EXPSSDA903>`, false},
	{"two colons", `<EXPSSDA903><a:b:c/></EXPSSDA903>`, false},
	{"lower case names", "<expssda903><child><header><childid>1</childid><sex>f</sex></header><episode><decom>01/01/2024</decom><pl>u4</pl></episode></child></expssda903>", true},
	{"non-ASCII name", "<EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID><NOTÉ>x</NOTÉ></HEADER></CHILD></EXPSSDA903>", false},
	{"doctype", "<?xml version=\"1.0\"?>\n<!DOCTYPE EXPSSDA903 SYSTEM \"x.dtd\" [ <!ENTITY a \"b\"> ]>\n<EXPSSDA903>\n<CHILD><HEADER><CHILDID>1</CHILDID></HEADER></CHILD></EXPSSDA903>", false},
	{"directive inside", "<EXPSSDA903>\n<CHILD><!FOO bar><HEADER><CHILDID>1</CHILDID></HEADER></CHILD>\n</EXPSSDA903>", false},
	{"version 1.1", `<?xml version="1.1"?><EXPSSDA903/>`, false},
	{"windows-1252 declared", "<?xml version=\"1.0\" encoding=\"windows-1252\"?><EXPSSDA903><CHILD><HEADER><CHILDID>Z\xe9</CHILDID></HEADER></CHILD></EXPSSDA903>", true},
	{"undeclared windows-1252", "<EXPSSDA903><CHILD><HEADER><CHILDID>Z\xe9</CHILDID></HEADER></CHILD></EXPSSDA903>", true},
	{"unsupported encoding", `<?xml version="1.0" encoding="EBCDIC"?><EXPSSDA903/>`, false},
	{"control character", "<EXPSSDA903><CHILD><HEADER><CHILDID>1\x01</CHILDID></HEADER></CHILD></EXPSSDA903>", false},
	{"U+FFFE", "<EXPSSDA903><CHILD><HEADER><CHILDID>1\uFFFE</CHILDID></HEADER></CHILD></EXPSSDA903>", false},
	{"repeated value over lines", "<EXPSSDA903>\n<CHILD><HEADER><CHILDID>1</CHILDID><SEX>1</SEX><SEX>\n2\n</SEX></HEADER><EPISODE><LS>C1</LS>\n<LS>\r\nC2</LS><LS>C3\n</LS></EPISODE></CHILD>\n</EXPSSDA903>", true},
	{"mismatched", "<EXPSSDA903>\n<CHILD><HEADER><CHILDID>1</CHILDID></CHILD>\n</EXPSSDA903>", true},
	{"end tag with space", "<EXPSSDA903><CHILD ><HEADER\n><CHILDID>1</CHILDID\n></HEADER ></CHILD></EXPSSDA903 >", true},
	{"bad end tag", "<EXPSSDA903><CHILD></CHILD x></EXPSSDA903>", false},
	{"truncated in a tag", "<EXPSSDA903>\n<CHILD><HEADER><CHILDID>1</CHILDID></HEAD", false},
	{"truncated in text", "<EXPSSDA903>\n<CHILD><HEADER><CHILDID>1", true},
	{"text after the root", "<EXPSSDA903></EXPSSDA903>\ntrailing text &amp; more", true},
	{"element after the root", "<EXPSSDA903></EXPSSDA903>\n<EXPSSDA903/>", true},
	{"empty element name", "<EXPSSDA903><></EXPSSDA903>", false},
	{"name starting with a digit", "<EXPSSDA903><1A/></EXPSSDA903>", false},
	{"lone <", "<EXPSSDA903>\n<", false},
	{"<! at the end", "<EXPSSDA903>\n<!", false},
	{"bad <![", "<EXPSSDA903><![CDAT[x]]></EXPSSDA903>", false},
	{"not a return", "<Message><CHILD/></Message>", true},
	{"long value", "<EXPSSDA903><CHILD><HEADER><CHILDID>" + strings.Repeat("x", maxXMLLeafText+1) + "</CHILDID><UPN>" + strings.Repeat("y", maxXMLLeafText-10) + "<!---->" + strings.Repeat("z", 20) + "</UPN></HEADER></CHILD></EXPSSDA903>", true},
	{"windows-1252 far into the file", "<EXPSSDA903>" + strings.Repeat("<CHILD><HEADER><CHILDID>1</CHILDID></HEADER></CHILD>\n", 3000) + "<CHILD><HEADER><CHILDID>Z\xe9\xe9</CHILDID></HEADER></CHILD></EXPSSDA903>", true},
	{"UTF-8 cut at the end", "<EXPSSDA903><CHILD><HEADER><CHILDID>\u00e9</CHILDID></HEADER></CHILD></EXPSSDA903>\xc3", true},
	{"invalid UTF-8 in a name", "<EXPSSDA903><CHILD><HEADER><CH\xe9>1</CH\xe9></HEADER></CHILD></EXPSSDA903>", false},
	{"directive and error far into the file", "<EXPSSDA903>\n" + strings.Repeat("<CHILD>\n<HEADER><CHILDID>1</CHILDID></HEADER>\n</CHILD>\n", 3000) + "<!X>\n<CHILD><HEADER><CHILDID>1</CHILDID>\n</HEADER>\n<EPISODE><DECOM>1</DECOM></EPISODE>\n</CHILD>\n<CHILD><1/></CHILD></EXPSSDA903>", false},
	{"value past the token limit", "<EXPSSDA903><CHILD><HEADER><CHILDID>" + strings.Repeat("x", 2*maxXMLToken) + "</CHILDID></HEADER></CHILD></EXPSSDA903>", false},
}

func TestXMLTokensAgainstStd(t *testing.T) {
	for _, tc := range xmlTokenCases {
		t.Run(tc.name, func(t *testing.T) {
			if fell := diffXML(t, []byte(tc.data)); fell == tc.fast {
				t.Errorf("fell back to encoding/xml: %v, want %v", fell, !tc.fast)
			}
		})
	}
	// Every XML fixture, and the seed corpora of both fuzz targets.
	var files []string
	for _, pat := range []string{"testdata/xml/*", "testdata/fuzz/FuzzReadXML/*", "testdata/fuzz/FuzzXMLTokensAgainstStd/*"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) < 40 {
		t.Fatalf("only %d fixtures", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(f, "/fuzz/") {
			data = corpusBytes(t, f, data)
		}
		t.Run(f, func(t *testing.T) { diffXML(t, data) })
	}
}

// corpusBytes decodes a fuzz corpus file holding one []byte.
func corpusBytes(t *testing.T, name string, data []byte) []byte {
	t.Helper()
	s := strings.TrimPrefix(string(data), "go test fuzz v1\n")
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "[]byte(") || !strings.HasSuffix(s, ")") {
		t.Fatalf("%s: not a []byte corpus file", name)
	}
	var out string
	if _, err := fmt.Sscanf(s[len("[]byte("):len(s)-1], "%q", &out); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return []byte(out)
}

// TestXMLTokensReturn reads a generated council-year return both ways: the
// tokenizer must read it all itself.
func TestXMLTokensReturn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "return.xml")
	writeReturnXML(t, path, 600)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diffXML(t, data) {
		t.Error("the tokenizer fell back to encoding/xml on a plain return")
	}
	// As read through ReadFrom, UTF-16 included.
	for _, enc := range []string{"utf8", "utf16le", "utf16be"} {
		in := data
		switch enc {
		case "utf16le":
			in = encodeUTF16(data, false)
		case "utf16be":
			in = encodeUTF16(data, true)
		}
		tables, findings, err := ReadFrom(bytes.NewReader(in), "r.xml", ReadOptions{})
		if err != nil || len(findings) != 0 {
			t.Fatalf("%s: %v %+v", enc, err, findings)
		}
		n := 0
		for _, tb := range tables {
			if tb.Name == Episodes {
				n = len(tb.Rows)
			}
		}
		if n != 600 {
			t.Errorf("%s: %d episodes", enc, n)
		}
	}
}

func encodeUTF16(b []byte, bigEndian bool) []byte {
	out := []byte{0xFF, 0xFE}
	if bigEndian {
		out = []byte{0xFE, 0xFF}
	}
	for _, r := range string(b) {
		if bigEndian {
			out = append(out, byte(r>>8), byte(r))
		} else {
			out = append(out, byte(r), byte(r>>8))
		}
	}
	return out
}

// TestXMLContainerTables checks the reader's list of record tables against
// xmlContainers, whose elements it reads as records.
func TestXMLContainerTables(t *testing.T) {
	for name, table := range xmlContainers {
		info := nameInfo(new(xnameInfo), name)
		if info.container < 0 || xmlContainerTables[info.container] != table {
			t.Errorf("<%s>: container %d, want the index of %s", name, info.container, table)
		}
	}
	if len(xmlContainers) != len(xmlContainerTables) {
		t.Errorf("%d containers, %d tables", len(xmlContainers), len(xmlContainerTables))
	}
}

func FuzzXMLTokensAgainstStd(f *testing.F) {
	for _, tc := range xmlTokenCases {
		if len(tc.data) < 4096 {
			f.Add([]byte(tc.data))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer noHang(t, time.Now())
		diffXML(t, data)
	})
}

// TestWriteXMLCouncilYear writes the council-year folder named by
// $SUFFICIENCY_XML_FROM (DfE CSV tables) as one EXPSSDA903 XML return,
// indented one element per line as case-management systems export it, to
// the file $SUFFICIENCY_XML_TO: for timing "sufficiency validate" on the
// same data in both layouts (docs/bench/ingest-read.md). It is skipped
// unless both are set.
func TestWriteXMLCouncilYear(t *testing.T) {
	from, to := os.Getenv("SUFFICIENCY_XML_FROM"), os.Getenv("SUFFICIENCY_XML_TO")
	if from == "" || to == "" {
		t.Skip("set SUFFICIENCY_XML_FROM and SUFFICIENCY_XML_TO to write an XML return")
	}
	rs, _, err := Read([]string{from}, ReadOptions{})
	if err != nil || len(rs) != 1 {
		t.Fatalf("%v (%d returns)", err, len(rs))
	}
	var b bytes.Buffer
	writeXMLReturn(&b, rs[0])
	if err := os.WriteFile(to, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeXMLReturn writes r as an EXPSSDA903 return: one CHILD per Header row,
// its HEADER (with the UASC, AD1 and OC3 fields and the AMISSING, AREVIEW,
// PERMANENCE, OC2 and AD_PLACED records), EPISODEs and SW_EPISODEs.
func writeXMLReturn(w *bytes.Buffer, r *Return) {
	byChild := map[TableName]map[string][]Row{}
	for name, tb := range r.Tables {
		m := map[string][]Row{}
		for _, row := range tb.Rows {
			m[row.Values[0]] = append(m[row.Values[0]], row)
		}
		byChild[name] = m
	}
	leaf := func(ind, name, v string) {
		fmt.Fprintf(w, "%s<%s>%s</%s>\n", ind, name, html.EscapeString(v), name)
	}
	records := func(ind, tag string, t TableName, rows []Row, skip int) {
		for _, row := range rows {
			fmt.Fprintf(w, "%s<%s>\n", ind, tag)
			for i, c := range Columns[t] {
				if i < skip {
					continue
				}
				if c == "PLACE" {
					c = "PL"
				}
				leaf(ind+"  ", c, row.Values[i])
			}
			fmt.Fprintf(w, "%s</%s>\n", ind, tag)
		}
	}
	w.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EXPSSDA903>\n")
	const in = "      "
	for _, h := range r.Table(Header).Rows {
		id := h.Values[0]
		w.WriteString("  <CHILD>\n    <HEADER>\n")
		leaf(in, "CHILDID", id)
		for _, c := range []string{"UPN", "SEX", "DOB", "ETHNIC"} {
			leaf(in, c, h.Get(Header, c))
		}
		if u := byChild[UASC][id]; len(u) > 0 {
			leaf(in, "UASC", "1")
			leaf(in, "DUC", u[0].Get(UASC, "DUC"))
		} else {
			leaf(in, "UASC", "0")
		}
		for _, row := range byChild[AD1][id] {
			for _, c := range Columns[AD1][2:] {
				leaf(in, c, row.Get(AD1, c))
			}
		}
		for _, row := range byChild[OC3][id] {
			for _, c := range Columns[OC3][2:] {
				leaf(in, c, row.Get(OC3, c))
			}
		}
		leaf(in, "MOTHER", h.Get(Header, "MOTHER"))
		leaf(in, "MC_DOB", h.Get(Header, "MC_DOB"))
		records(in, "AMISSING", Missing, byChild[Missing][id], 2)
		records(in, "AREVIEW", Reviews, byChild[Reviews][id], 2)
		records(in, "PERMANENCE", PrevPerm, byChild[PrevPerm][id], 2)
		records(in, "OC2", OC2, byChild[OC2][id], 2)
		records(in, "AD_PLACED", PlacedAdoption, byChild[PlacedAdoption][id], 2)
		w.WriteString("    </HEADER>\n")
		records("    ", "EPISODE", Episodes, byChild[Episodes][id], 1)
		records("    ", "SW_EPISODE", SWEpisodes, byChild[SWEpisodes][id], 2)
		w.WriteString("  </CHILD>\n")
	}
	w.WriteString("</EXPSSDA903>\n")
}

// TestXMLRoundTrip writes a council-year read from CSV as an XML return
// and reads it back: the Header, Episodes and UASC rows are the same.
func TestXMLRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"header", "episodes", "uasc"} {
		data, err := os.ReadFile(filepath.Join("testdata/peers/cs-demand-model/combined", "2017-"+name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name+".csv"), data, 0o644)
	}
	rs, _, err := Read([]string{dir}, ReadOptions{})
	if err != nil || len(rs) != 1 {
		t.Fatalf("%v (%d returns)", err, len(rs))
	}
	var b bytes.Buffer
	writeXMLReturn(&b, rs[0])
	tables, _, err := ReadFrom(bytes.NewReader(b.Bytes()), "r.xml", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, tb := range tables {
		want := rs[0].Table(tb.Name)
		if want == nil {
			continue
		}
		compared++
		if len(tb.Rows) == 0 || len(tb.Rows) != len(want.Rows) {
			t.Fatalf("%s: %d rows, want %d", tb.Name, len(tb.Rows), len(want.Rows))
		}
		for i := range tb.Rows {
			if !reflect.DeepEqual(tb.Rows[i].Values, want.Rows[i].Values) {
				t.Fatalf("%s row %d: %q, want %q", tb.Name, i, tb.Rows[i].Values, want.Rows[i].Values)
			}
		}
	}
	if compared != 3 {
		t.Errorf("%d tables compared, want 3", compared)
	}
}
