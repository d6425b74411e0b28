package statement

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"sufficiency/tabular"
)

// TestHTMLTablesSeparateThousands renders a statement whose table holds
// counts of 4 and 5 digits and a money figure: the page shows 2,210 and
// 35,290 as people read them (the template once called tabular.Format
// directly and printed 35290), leaves 999 and the money as they are.
func TestHTMLTablesSeparateThousands(t *testing.T) {
	tb := &tabular.Table{Title: "1.1 Children", Columns: []tabular.Column{{Name: "Area"}, {Name: "Children", Kind: tabular.Count}, {Name: "Cost", Kind: tabular.Money}}}
	tb.AddRow("North East", 2210, 1234567)
	tb.AddRow("England", 35290, 0)
	tb.AddRow("Rutland", 999, 0)
	r := &Report{Title: "Sufficiency statement: test", Area: "Test", At: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC),
		Sections: []Section{{ID: "summary", Number: 1, Title: "Summary", Blocks: []Block{{Kind: TableBlock, Table: tb}}}}}
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{">2,210<", ">35,290<", ">999<", ">£1,234,567<"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page does not show %s", want)
		}
	}
	for _, bad := range []string{">2210<", ">35290<"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page shows %s without a thousands separator", bad)
		}
	}
}
