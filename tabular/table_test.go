package tabular

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sufficiency/care"
)

// sample is a small table with a total row and a total column.
func sample() Table {
	t := Table{
		Title: "Children by placement",
		Columns: []Column{
			{Name: "Group"},
			{Name: "Boys", Kind: Count},
			{Name: "Girls", Kind: Count},
			{Name: "All", Kind: Count, Total: true},
			{Name: "% of all", Kind: Percent, Base: "All"},
			{Name: "Weekly spend", Kind: Money, Base: "All"},
		},
		TotalRow: true,
	}
	t.AddRow("Fostering", 40, 38, 78, 78.0, care.Pence(7_800_000))
	t.AddRow("Children's home", 7, 3, 10, 10.0, care.Pence(5_000_000))
	t.AddRow("Secure", 0, 0, 0, 0.0, care.Pence(0))
	t.AddRow("Other", 10, 2, 12, 12.0, care.Pence(1_200_000))
	t.AddRow("All", 57, 43, 100, 100.0, care.Pence(14_000_000))
	return t
}

func TestSuppress(t *testing.T) {
	got := Suppress(sample())
	// Primary: Girls in children's home (3) and Girls in Other (2) are 1–4.
	// Column Girls then has two suppressed cells: no secondary needed there.
	// Row "Children's home": Girls suppressed, All (total column) shown, so
	// Boys (7, the only other non-zero) is suppressed. Row "Other": Girls
	// suppressed, so Boys (10) is suppressed. Column Boys now has two
	// suppressed cells: fine. Derived cells follow All, which is not
	// suppressed anywhere.
	want := [][]any{
		{"Fostering", 40, 38, 78, 78.0, care.Pence(7_800_000)},
		{"Children's home", "c", "c", 10, 10.0, care.Pence(5_000_000)},
		{"Secure", 0, 0, 0, 0.0, care.Pence(0)},
		{"Other", "c", "c", 12, 12.0, care.Pence(1_200_000)},
		{"All", 57, 43, 100, 100.0, care.Pence(14_000_000)},
	}
	for i := range want {
		for j := range want[i] {
			if got.Rows[i][j] != want[i][j] {
				t.Errorf("row %d col %d = %v, want %v", i, j, got.Rows[i][j], want[i][j])
			}
		}
	}
	if orig := sample(); orig.Rows[1][2] != 3 {
		t.Fatal("Suppress changed its input")
	}
	if got.Notes[len(got.Notes)-1] != SuppressionRule {
		t.Error("suppressed table does not carry the rule in its notes")
	}
}

func TestSuppressSecondaryDownColumn(t *testing.T) {
	tb := Table{
		Title:    "t",
		Columns:  []Column{{Name: "Age"}, {Name: "Children", Kind: Count}, {Name: "%", Kind: Percent, Base: "Children"}},
		TotalRow: true,
	}
	tb.AddRow("Under 1", 3, 3.0)
	tb.AddRow("1 to 4", 9, 9.0)
	tb.AddRow("5 to 9", 20, 20.0)
	tb.AddRow("All", 32, 100.0)
	got := Suppress(tb)
	// 3 is primary; the total 32 would reveal it (32-9-20), so the next
	// smallest, 9, goes too, and the percentages with them.
	for i, want := range []any{"c", "c", 20, 32} {
		if got.Rows[i][1] != want {
			t.Errorf("row %d count = %v, want %v", i, got.Rows[i][1], want)
		}
	}
	if got.Rows[0][2] != "c" || got.Rows[1][2] != "c" || got.Rows[2][2] != 20.0 {
		t.Errorf("derived percentages not suppressed with their counts: %v", got.Rows)
	}
}

func TestSuppressLeavesPublicColumns(t *testing.T) {
	tb := Table{Title: "t", Columns: []Column{{Name: "x"}, {Name: "homes", Kind: Count, Public: true}, {Name: "children", Kind: Count}}}
	tb.AddRow("a", 2, 3)
	got := Suppress(tb)
	if got.Rows[0][1] != 2 || got.Rows[0][2] != Suppressed {
		t.Fatalf("rows %v", got.Rows)
	}
}

func TestSuppressAsSymbol(t *testing.T) {
	got := SuppressAs(sample(), "<5")
	if got.Rows[1][2] != "<5" || got.Rows[1][1] != "<5" || got.Rows[0][1] != 40 {
		t.Fatalf("rows %v", got.Rows)
	}
}

func TestSuppressOnlySmallCellSuppressesTotal(t *testing.T) {
	tb := Table{Title: "t", Columns: []Column{{Name: "x"}, {Name: "n", Kind: Count}}, TotalRow: true}
	tb.AddRow("a", 0)
	tb.AddRow("b", 2)
	tb.AddRow("All", 2)
	got := Suppress(tb)
	if got.Rows[1][1] != "c" || got.Rows[2][1] != "c" {
		t.Fatalf("rows %v", got.Rows)
	}
	if got.Rows[0][1] != 0 {
		t.Fatal("zero suppressed")
	}
}

func TestSuppressNoTotalsPrimaryOnly(t *testing.T) {
	tb := Table{Title: "t", Columns: []Column{{Name: "x"}, {Name: "n", Kind: Count}, {Name: "miles", Kind: Number}}}
	tb.AddRow("a", 4, 12.5)
	tb.AddRow("b", 5, 3.0)
	got := Suppress(tb)
	// miles names no Base: it may rest on the row's count, so it goes with
	// it (issue 15: derived figures beside a suppressed count).
	if got.Rows[0][1] != "c" || got.Rows[1][1] != 5 || got.Rows[0][2] != "c" || got.Rows[1][2] != 3.0 {
		t.Fatalf("rows %v", got.Rows)
	}
}

func TestWriteText(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, []Table{sample()}); err != nil {
		t.Fatal(err)
	}
	want := "Children by placement\n" +
		"Group            Boys  Girls  All  % of all  Weekly spend\n" +
		"Fostering          40     38   78      78.0       £78,000\n" +
		"Children's home     7      3   10      10.0       £50,000\n" +
		"Secure              0      0    0       0.0            £0\n" +
		"Other              10      2   12      12.0       £12,000\n" +
		"All                57     43  100     100.0      £140,000\n"
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteCSVAndJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, []Table{sample()}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 6 || recs[0][0] != "Group" || recs[2][5] != "50000" || recs[1][4] != "78" {
		t.Fatalf("csv %v", recs)
	}
	b.Reset()
	if err := WriteJSON(&b, []Table{Suppress(sample())}); err != nil {
		t.Fatal(err)
	}
	var got []struct {
		Title string
		Rows  []map[string]any
		Notes []string
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got[0].Rows[1]["Girls"] != "c" || got[0].Rows[0]["Weekly spend"] != 78000.0 || len(got[0].Notes) != 1 {
		t.Fatalf("json %+v", got)
	}
}

func TestWriteXLSXReadsBack(t *testing.T) {
	second := Table{Title: "Children by placement", Columns: []Column{{Name: "k"}, {Name: "n", Kind: Count}}, Notes: []string{"a note"}}
	second.AddRow("x", 7)
	var b bytes.Buffer
	if err := Write(&b, FormatXLSX, []Table{sample(), second}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 2 || sheets[0] != "Children by placement" || sheets[1] != "Children by placement (2)" {
		t.Fatalf("sheets %v", sheets)
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Children by placement" || rows[1][3] != "All" || rows[3][5] != "50000" || rows[6][0] != "All" {
		t.Fatalf("rows %v", rows)
	}
	rows, _ = f.GetRows(sheets[1])
	if rows[2][1] != "7" || rows[4][0] != "a note" {
		t.Fatalf("second sheet %v", rows)
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "pdf", nil)
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "text, json, csv or xlsx") {
		t.Fatalf("err %v", err)
	}
}

func TestSheetName(t *testing.T) {
	used := map[string]bool{}
	for _, tc := range []struct{ in, want string }{
		{"Cost: weekly/annual [£]", "Cost weekly annual (£)"},
		{"A very long title that goes on well past thirty-one characters", "A very long title that goes on"},
		{"", "Table"},
		{"table", "table (2)"},
	} {
		if got := SheetName(tc.in, used); got != tc.want {
			t.Errorf("SheetName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		c    Column
		v    any
		want string
	}{
		{Column{Kind: Money}, care.Pence(123456789), "£1,234,568"},
		{Column{Kind: Money}, care.Pence(-50000), "-£500"},
		{Column{Kind: Percent}, 12.345, "12.3"},
		{Column{Kind: Count}, 7, "7"},
		{Column{Kind: Rate}, nil, ""},
		{Column{Kind: Count}, Suppressed, "c"},
		{Column{Kind: Number}, 8.0, "8"},
		{Column{Kind: Number}, 12.25, "12.2"},
	} {
		if got := Format(tc.c, tc.v); got != tc.want {
			t.Errorf("Format(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

// A count that is the sum of some of the row's other counts (Parts) must not
// reveal a suppressed part: 13 own children = 10 in the area + "c" outside +
// 0 not known would give away the 3.
func TestSuppressSecondaryAlongParts(t *testing.T) {
	tb := Table{Title: "t", Columns: []Column{{Name: "Kind"}, {Name: "Places", Kind: Count, Public: true},
		{Name: "Own", Kind: Count, Parts: []string{"In", "Out", "Unknown"}},
		{Name: "In", Kind: Count}, {Name: "Out", Kind: Count}, {Name: "Unknown", Kind: Count},
		{Name: "Others", Kind: Count}}}
	tb.AddRow("schools", 81, 13, 10, 3, 0, 7)
	tb.AddRow("homes", 50, 12, 5, 7, 0, 2)
	got := Suppress(tb)
	if r := got.Rows[0]; r[2] == 13 && r[3] == 10 {
		t.Fatalf("row %v: the suppressed part can be recovered as 13 - 10 - 0", r)
	}
	if r := got.Rows[0]; r[4] != Suppressed || r[5] != 0 || r[6] != 7 || r[1] != 81 {
		t.Errorf("row %v: want only the 3 and one other part or the total suppressed", r)
	}
	// Others (not a part) is suppressed alone; no part suppressed, so the
	// row relation holds and nothing else goes.
	if r := got.Rows[1]; r[6] != Suppressed || r[2] != 12 || r[3] != 5 || r[4] != 7 {
		t.Errorf("row %v", r)
	}
}

// Money rounds to whole pounds; an amount that rounds to zero is "£0", never
// "-£0" (issue 17: funder tables showed "-£0").
func TestMoneyRoundsAndNeverShowsMinusZero(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "£0"}, {-0.4, "£0"}, {-0.5, "-£1"}, {0.49, "£0"}, {0.5, "£1"},
		{999.5, "£1,000"}, {-1234567.2, "-£1,234,567"}, {123456, "£123,456"},
	} {
		if got := money(tc.in); got != tc.want {
			t.Errorf("money(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", -1000: "-1,000", 1234567: "1,234,567", -45: "-45",
		-9223372036854775808: "-9,223,372,036,854,775,808"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
