package forecast

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"sufficiency/care"
)

const smallCSV = `time_period,level,region_code,region_name,dfe_la_code,la_code,la_name,cla_31mar,starts,ceases,pop_0_17,cla_rate_per_10k,source
2010,National,,,,,,1000,400,380,,,s
2010,Local authority,,,352,,Manchester,100,40,38,20000,,s
2011,Local authority,,,352,E08000003,Manchester,c,x,z,,,s
201112,Local authority,E12000002,North West,352,E08000099,Manchester,"1,200",41,39,,,s
2010,Local authority,,,201,,City of London,15,x,x,900,,s
2010,Regional,E12000002,North West,,,,500,1,1,,,s
`

func TestReadPublished(t *testing.T) {
	p, err := ReadPublished(strings.NewReader(smallCSV))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Councils) != 2 {
		t.Fatalf("councils %d, want 2", len(p.Councils))
	}
	m, err := p.Council("352")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("DfEOnlyRowsJoinToLatestONSCode", func(t *testing.T) {
		if m.Code != "E08000099" || m.Region != "North West" {
			t.Fatalf("code %q region %q", m.Code, m.Region)
		}
		if got := m.Stock(2010); got != 100 {
			t.Fatalf("2010 stock %v", got)
		}
	})
	t.Run("SuppressedIsNaN", func(t *testing.T) {
		y := m.Years[2011]
		if Known(y.Stock) || Known(y.Starts) || Known(y.Ceases) {
			t.Fatalf("2011 %+v, want all unknown", y)
		}
	})
	t.Run("AcademicYearFormAndThousands", func(t *testing.T) {
		if got := m.Stock(2012); got != 1200 {
			t.Fatalf("2012 stock %v, want 1200", got)
		}
	})
	t.Run("NoONSCodeGetsDfEKey", func(t *testing.T) {
		c, err := p.Council("City of London")
		if err != nil || c.Code != "DfE:201" {
			t.Fatalf("%v %v", c, err)
		}
	})
	t.Run("NationalFromFileOrSum", func(t *testing.T) {
		if p.National[2010].Stock != 1000 {
			t.Fatalf("2010 national %v", p.National[2010].Stock)
		}
		if p.National[2012].Stock != 1200 {
			t.Fatalf("2012 national %v, want the sum 1200", p.National[2012].Stock)
		}
	})
	t.Run("Years", func(t *testing.T) {
		if !reflect.DeepEqual(p.Years, []int{2010, 2012}) {
			t.Fatalf("years %v", p.Years)
		}
	})
	t.Run("CutDropsLaterYears", func(t *testing.T) {
		c := p.Cut(2010)
		cm, _ := c.Council("352")
		if len(cm.Years) != 1 || c.LastYear() != 2010 || len(c.National) != 1 {
			t.Fatalf("cut kept %v / %v", cm.Years, c.Years)
		}
		if len(m.Years) != 3 {
			t.Fatal("Cut changed the original")
		}
	})
}

func TestReadPublishedErrors(t *testing.T) {
	for name, in := range map[string]string{
		"ErrMissingColumns": "time_period,la_name\n2010,x\n",
		"ErrEmpty":          "",
		"ErrNoCouncils":     "time_period,level,dfe_la_code,la_code,la_name,cla_31mar,starts,ceases\n2010,National,,,,1,1,1\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ReadPublished(strings.NewReader(in))
			if care.ErrorCode(err) != care.EUNUSABLE {
				t.Fatalf("got %v, want EUNUSABLE", err)
			}
		})
	}
	_, err := ReadPublished(strings.NewReader("time_period,level,dfe_la_code,la_code,la_name,cla_31mar,starts,ceases\nabc,Local authority,1,,x,1,1,1\n"))
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("bad year: %v", err)
	}
}

// synthPublished builds councils growing at constant rates, with starts and
// ceases consistent with the growth, and England as their sum.
func synthPublished(first, last int, growth func(i int) float64) *Published {
	var series []*CouncilSeries
	for i := 0; i < 60; i++ {
		g := growth(i)
		s := &CouncilSeries{Code: "E0" + string(rune('A'+i/26)) + string(rune('A'+i%26)), DfECode: string(rune('a' + i)), Name: "c", Years: map[int]Totals{}}
		stock := 100.0 + 10*float64(i)
		for y := first; y <= last; y++ {
			next := stock * math.Exp(g)
			ceases := 0.4 * stock
			s.Years[y] = Totals{Stock: next, Starts: next - stock + ceases, Ceases: ceases, Pop: math.NaN()}
			stock = next
		}
		series = append(series, s)
	}
	p, err := NewPublished(series, nil)
	if err != nil {
		panic(err)
	}
	return p
}

func TestStockFlowFollowsSteadyGrowth(t *testing.T) {
	p := synthPublished(2010, 2020, func(int) float64 { return 0.05 })
	for _, v := range Variants {
		m, err := FitStockFlow(p, 2018, 2, v)
		if err != nil {
			t.Fatal(err)
		}
		s := p.Councils[7]
		pr, err := m.Predict(s, p.National)
		if err != nil {
			t.Fatal(err)
		}
		want := s.Stock(2020)
		if math.Abs(pr.P(0.5)/want-1) > 0.01 {
			t.Errorf("%s: P50 %.1f, outcome %.1f", v.Name, pr.P(0.5), want)
		}
		if !(pr.P(0.1) <= pr.P(0.5) && pr.P(0.5) <= pr.P(0.9)) {
			t.Errorf("%s: quantiles out of order %v", v.Name, pr.Quantiles)
		}
	}
}

func TestStockFlowLearnsCouncilGrowth(t *testing.T) {
	// Half the councils grow 6% a year, half shrink 4%: a model that pools
	// council growth must follow each council, not the average.
	p := synthPublished(2010, 2020, func(i int) float64 {
		if i%2 == 0 {
			return 0.06
		}
		return -0.04
	})
	m, err := FitStockFlow(p, 2019, 1, Variants[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{2, 3} {
		s := p.Councils[i]
		pr, _ := m.Predict(s, p.National)
		if got, want := pr.P(0.5), s.Stock(2020); math.Abs(got/want-1) > 0.01 {
			t.Errorf("council %d: P50 %.1f, outcome %.1f", i, got, want)
		}
	}
}

func TestForecastUsesOnlyDataUpToOrigin(t *testing.T) {
	p := mustPublished(t)
	a, err := PublishedForecast(p, 2019, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := PublishedForecast(p.Cut(2019), 2019, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Predictions, b.Predictions) || !reflect.DeepEqual(a.Models, b.Models) {
		t.Fatal("forecast from 2019 changed when the data after 2019 were removed")
	}
	if len(a.Predictions) < 140*2 {
		t.Fatalf("%d predictions", len(a.Predictions))
	}
}

func TestPublishedForecastErrors(t *testing.T) {
	p := mustPublished(t)
	cases := []struct {
		name   string
		origin int
		years  int
		codes  []string
		code   string
		says   string
	}{
		{"ErrOriginOutsideData", 2030, 1, nil, care.EINVALID, "2010–2017, 2019–2023"},
		{"ErrOriginMissingYear", 2018, 1, nil, care.EINVALID, "choose one of those years"},
		{"ErrTooLittleHistory", 2011, 2, nil, care.EINVALID, "2012 or later"},
		{"ErrHorizon", 2020, 0, nil, care.EINVALID, "1 to 10"},
		{"ErrUnknownCouncil", 2020, 1, []string{"E99999999"}, care.ENOTFOUND, "ONS code"},
		{"ErrNoChildren", 2020, 1, []string{"Isles of Scilly"}, care.EINVALID, "no children in care published"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := PublishedForecast(p, c.origin, c.years, c.codes)
			var ce *care.Error
			if !errors.As(err, &ce) || ce.Code != c.code || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("got %v, want %s mentioning %q", err, c.code, c.says)
			}
		})
	}
}

func TestWIS(t *testing.T) {
	point := map[float64]float64{0.5: 10}
	if got := WIS(point, 13); got != 3 {
		t.Fatalf("point WIS %v, want the absolute error 3", got)
	}
	q := map[float64]float64{0.1: 8, 0.5: 10, 0.9: 12}
	// inside: (0.5·|10−11| + 0.1·(12−8)) / 1.5 = (0.5+0.4)/1.5
	if got := WIS(q, 11); math.Abs(got-0.6) > 1e-12 {
		t.Fatalf("WIS %v, want 0.6", got)
	}
	// below: pinball 0.1: (1−0.1)(8−5)=2.7; 0.5: 0.5·5=2.5; 0.9: 0.1·7=0.7 → 5.9/1.5
	if got := WIS(q, 5); math.Abs(got-5.9/1.5) > 1e-12 {
		t.Fatalf("WIS %v, want %v", got, 5.9/1.5)
	}
}
