package synth

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"
)

// day is a civil date held as days since 1 January 1970. The generator works
// in days: it is compact, ordered and cheap to compare.
type day int32

const noDay day = 0 // "none"; no generated date is 1 January 1970

func dayOf(t time.Time) day { return day(t.Unix() / 86400) }

func dayFromYMD(y int, m time.Month, d int) day {
	return day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func (d day) time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// civil converts days since the epoch to year, month, day (Howard Hinnant's
// algorithm), without allocating.
func (d day) civil() (y, m, dd int) {
	z := int(d) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, dd
}

// appendDMY appends the date as DD/MM/YYYY (the DfE format); nothing for noDay.
func (d day) appendDMY(b []byte) []byte {
	if d == noDay {
		return b
	}
	y, m, dd := d.civil()
	return append(b, byte('0'+dd/10), byte('0'+dd%10), '/', byte('0'+m/10), byte('0'+m%10), '/',
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
}

// birthday returns the date of the n-th birthday of someone born on dob
// (29 February birthdays fall on 1 March in common years).
func birthday(dob day, n int) day {
	y, m, d := dob.civil()
	return dayFromYMD(y+n, time.Month(m), d)
}

// ageOn returns the age in whole years on date d of someone born on dob.
func ageOn(dob, d day) int {
	if d < dob {
		return 0
	}
	y1, m1, d1 := dob.civil()
	y2, m2, d2 := d.civil()
	a := y2 - y1
	if m2 < m1 || (m2 == m1 && d2 < d1) {
		a--
	}
	return a
}

// yearStart and yearEnd bound a collection year ending 31 March y.
func yearStart(y int) day { return dayFromYMD(y-1, time.April, 1) }
func yearEnd(y int) day   { return dayFromYMD(y, time.March, 31) }

// collectionYear returns the collection year (ending 31 March) containing d.
func collectionYear(d day) int {
	y, m, _ := d.civil()
	if m >= 4 {
		return y + 1
	}
	return y
}

// newRand returns the generator's random source for one stream: the seed and
// a key (a council code, a URN, ...) fully determine it, so output never
// depends on scheduling.
func newRand(seed uint64, key string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(key))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// between returns a uniformly random day in [a, b]; a when b < a.
func between(r *rand.Rand, a, b day) day {
	if b <= a {
		return a
	}
	return a + day(r.IntN(int(b-a)+1))
}

// pick returns an index drawn in proportion to the weights; -1 when they sum
// to zero.
func pick(r *rand.Rand, w []float64) int {
	var sum float64
	for _, x := range w {
		if x > 0 {
			sum += x
		}
	}
	if sum <= 0 {
		return -1
	}
	u := r.Float64() * sum
	for i, x := range w {
		if x <= 0 {
			continue
		}
		if u < x {
			return i
		}
		u -= x
	}
	for i := len(w) - 1; i >= 0; i-- {
		if w[i] > 0 {
			return i
		}
	}
	return -1
}

// lognormal draws a log-normal value with the given mean and log-scale sigma.
func lognormal(r *rand.Rand, mean, sigma float64) float64 {
	mu := math.Log(mean) - sigma*sigma/2
	return math.Exp(mu + sigma*r.NormFloat64())
}

// poisson draws a Poisson count with mean lambda (small lambdas only).
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	l := math.Exp(-lambda)
	k, p := 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
