package ssda903

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// withParallel runs fn with the parallel CSV reader cutting inputs of any
// size into ranges of at least chunk bytes, on procs cores.
func withParallel(t *testing.T, chunk int64, procs int, fn func()) {
	t.Helper()
	oldMin, oldChunk := parMinBytes, parChunkMin
	oldProcs := runtime.GOMAXPROCS(procs)
	parMinBytes, parChunkMin = 1, chunk
	defer func() {
		parMinBytes, parChunkMin = oldMin, oldChunk
		runtime.GOMAXPROCS(oldProcs)
	}()
	fn()
}

// readSeq reads data with the sequential reader (the reader hides ReaderAt).
func readSeq(data []byte) ([]*Table, []Finding, error) {
	return ReadFrom(struct{ io.Reader }{bytes.NewReader(data)}, "in.csv", ReadOptions{})
}

// readPar reads data as ReadFrom does with random access, and reports
// whether the rows were read in parallel.
func readPar(data []byte) ([]*Table, []Finding, error, bool) {
	fs := &findingSink{}
	cr := &countingReader{r: bytes.NewReader(data), limit: DefaultMaxFileBytes}
	par := &parSource{ra: bytes.NewReader(data), size: int64(len(data)), cr: cr}
	tables, err := scanReader(cr, "in.csv", func(t *Table, r Row) error {
		t.Rows = append(t.Rows, r)
		return nil
	}, fs, int64(len(data)), 0, par)
	return tables, fs.done("in.csv"), err, par.used
}

func sameRead(t *testing.T, what string, data []byte, wantParallel bool) {
	t.Helper()
	st, sf, serr := readSeq(data)
	pt, pf, perr, used := readPar(data)
	if fmt.Sprint(serr) != fmt.Sprint(perr) {
		t.Fatalf("%s: error %v, sequential %v", what, perr, serr)
	}
	if !reflect.DeepEqual(st, pt) {
		t.Fatalf("%s: parallel tables differ from the sequential ones", what)
	}
	if !reflect.DeepEqual(sf, pf) {
		t.Fatalf("%s: findings differ:\nparallel   %+v\nsequential %+v", what, pf, sf)
	}
	if used != wantParallel {
		t.Fatalf("%s: read in parallel = %v, want %v", what, used, wantParallel)
	}
}

// TestParallelReadFixtures reads every CSV fixture cut at every possible
// place and on several cores: the result is the sequential reader's.
func TestParallelReadFixtures(t *testing.T) {
	files, _ := filepath.Glob("testdata/csv/*")
	more, _ := filepath.Glob("testdata/platform/*")
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("only %d fixtures", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, chunk := range []int64{1, 7, 30, 100} {
			for _, procs := range []int{2, 3, 8} {
				withParallel(t, chunk, procs, func() {
					st, sf, serr := readSeq(data)
					pt, pf, perr, _ := readPar(data)
					if fmt.Sprint(serr) != fmt.Sprint(perr) || !reflect.DeepEqual(st, pt) || !reflect.DeepEqual(sf, pf) {
						t.Fatalf("%s (ranges of %d bytes, %d cores): parallel read differs from the sequential one", f, chunk, procs)
					}
				})
			}
		}
	}
}

// messyEpisodes builds an Episodes file of n rows with every kind of row the
// reader treats specially. quotedBreaks puts line breaks inside quoted values.
func messyEpisodes(n int, seed int64, quotedBreaks bool) []byte {
	rng := rand.New(rand.NewSource(seed))
	var b bytes.Buffer
	b.WriteString("\uFEFF" + epCols)
	for i := 0; i < n; i++ {
		eol := "\n"
		if rng.Intn(3) == 0 {
			eol = "\r\n"
		}
		child := fmt.Sprint(1000 + i/3)
		switch rng.Intn(40) {
		case 0:
			b.WriteString(eol) // blank line
		case 1:
			b.WriteString(child + ",01/04/2024,S,C1,N1,U4,PR1,,,,AB1 2CD,EF3 4GH,,x,y" + eol) // too many values
		case 2:
			b.WriteString(child + ",01/04/2024,S" + eol) // too few
		case 3:
			b.WriteString(strings.TrimSuffix(epCols, "\n") + eol) // header again
		case 4:
			b.WriteString(child + ",01/04/2024,s,c1,n1,u4,pr1,,,,\xe9b1 2cd,ef3 4gh," + eol) // Windows-1252, lower case
		case 5:
			if quotedBreaks {
				b.WriteString(child + ",01/04/2024,S,C1,N1,U4,PR1,,,,\"AB1\n2CD\",\"EF3 4GH\",\"SC\r\n1\"\"2\"" + eol)
				continue
			}
			fallthrough
		case 6:
			b.WriteString(child + ",\"01/04/2024\",S,C1,N1,U4,PR1,,,, \"AB1, 2CD\" ,EF3 4GH," + eol) // quoted delimiter
		default:
			fmt.Fprintf(&b, "%s,%02d/%02d/2024,S,C1,N1,U4,PR1,,,,AB1 2CD,EF3 4GH,SC%06d%s", child, 1+rng.Intn(28), 1+rng.Intn(12), rng.Intn(999999), eol)
		}
	}
	return b.Bytes()
}

// TestParallelReadMessy compares the two readers on generated files with
// blank, short, long, repeated-header, Windows-1252 and quoted rows, more
// than maxFindingsPerCode of some findings, and no final line break.
func TestParallelReadMessy(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		data := messyEpisodes(6000, seed, false)
		for _, procs := range []int{2, 3, 7} {
			withParallel(t, 4<<10, procs, func() {
				sameRead(t, fmt.Sprintf("seed %d, %d cores", seed, procs), data, true)
				sameRead(t, fmt.Sprintf("seed %d, %d cores, no final line break", seed, procs), bytes.TrimRight(data, "\r\n"), true)
			})
		}
		_, findings, _ := readSeq(data)
		if findingAt(findings, "READ-FIELDS") == nil || findingAt(findings, "READ-ENCODING") == nil ||
			findingAt(findings, "READ-HEADER-REPEAT") == nil {
			t.Fatalf("the generated file does not exercise the findings: %v", codes(findings))
		}
	}
}

// TestParallelReadQuotedLineBreaks: values holding line breaks may straddle a
// cut; the reader then falls back to reading sequentially, and the result is
// the same whether or not a cut fell inside quotes.
func TestParallelReadQuotedLineBreaks(t *testing.T) {
	fellBack := false
	for seed := int64(1); seed <= 3; seed++ {
		data := messyEpisodes(3000, seed, true)
		for _, chunk := range []int64{1 << 10, 3 << 10, 10 << 10} {
			withParallel(t, chunk, 4, func() {
				st, sf, serr := readSeq(data)
				pt, pf, perr, used := readPar(data)
				if fmt.Sprint(serr) != fmt.Sprint(perr) || !reflect.DeepEqual(st, pt) || !reflect.DeepEqual(sf, pf) {
					t.Fatalf("seed %d, ranges of %d bytes: parallel read differs from the sequential one", seed, chunk)
				}
				fellBack = fellBack || !used
			})
		}
	}
	if !fellBack {
		t.Error("no cut fell inside a quoted value: the fallback was not exercised")
	}
	// A cut exactly inside a quoted line break.
	var b bytes.Buffer
	b.WriteString(epCols)
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "%d,01/04/2024,S,C1,N1,U4,PR1,,,,AB1 2CD,EF3 4GH,\n", i)
	}
	b.WriteString("9,01/04/2024,S,C1,N1,U4,PR1,,,,\"AB1\n")
	mid := b.Len()
	b.WriteString("2CD\",EF3 4GH,\n")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "%d,01/04/2024,S,C1,N1,U4,PR1,,,,AB1 2CD,EF3 4GH,\n", i)
	}
	data := b.Bytes()
	// Two ranges, the second starting at mid: the first ends inside quotes.
	header := int64(len(epCols))
	withParallel(t, 1, 2, func() {
		parChunkMin = 1
		at, _ := nextLineStart(bytes.NewReader(data), header+(int64(len(data))-header)/2, int64(len(data)))
		if at != int64(mid) {
			t.Skipf("the cut is at %d, not %d", at, mid)
		}
		sameRead(t, "cut inside quotes", data, false)
	})
	// An unterminated quote in the last range is the sequential reader's
	// READ-QUOTE, read in parallel.
	withParallel(t, 1<<10, 2, func() {
		data := append(messyEpisodes(2000, 9, false), "1,01/04/2024,S,C1,N1,U4,PR1,,,,\"AB1\n2CD,EF3 4GH,\n3,01/04/2024\n"...)
		sameRead(t, "unterminated quote at the end", data, true)
		_, f, _ := readSeq(data)
		if findingAt(f, "READ-QUOTE") == nil {
			t.Fatal("no READ-QUOTE")
		}
	})
}

// TestParallelReadFile reads a file from disk through ReadFile and Read
// (with progress) in parallel and sequentially.
func TestParallelReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "episodes.csv")
	data := messyEpisodes(8000, 5, true)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	seqT, seqF, seqErr := ReadFile(path, ReadOptions{Year: 2025})
	seqR, seqRF, seqRErr := Read([]string{dir}, ReadOptions{Year: 2025, Council: "E08000003"})
	for _, chunk := range []int64{2 << 10, 50 << 10} {
		withParallel(t, chunk, 3, func() {
			pt, pf, perr := ReadFile(path, ReadOptions{Year: 2025})
			if fmt.Sprint(seqErr) != fmt.Sprint(perr) || !reflect.DeepEqual(seqT, pt) || !reflect.DeepEqual(seqF, pf) {
				t.Fatalf("ReadFile, ranges of %d bytes: parallel read differs", chunk)
			}
			var last, calls int64
			pr, prf, prErr := Read([]string{dir}, ReadOptions{Year: 2025, Council: "E08000003", Progress: func(done, total int64) {
				if done < last || done > total {
					t.Errorf("progress %d of %d after %d", done, total, last)
				}
				last = done
				calls++
			}})
			if fmt.Sprint(seqRErr) != fmt.Sprint(prErr) || !reflect.DeepEqual(seqR, pr) || !reflect.DeepEqual(seqRF, prf) {
				t.Fatalf("Read, ranges of %d bytes: parallel read differs", chunk)
			}
			if last != int64(len(data)) || calls == 0 {
				t.Fatalf("progress ended at %d of %d", last, len(data))
			}
		})
	}
}

// TestParallelReadFromOffset: ReadFrom on a bytes.Reader already partly read
// reads from where the reader stands, and leaves it at the end, as the
// sequential reader does.
func TestParallelReadFromOffset(t *testing.T) {
	data := messyEpisodes(4000, 11, false)
	junk := []byte("junk that is not part of the file\n")
	withParallel(t, 4<<10, 2, func() {
		st, sf, serr := readSeq(data)
		r := bytes.NewReader(append(append([]byte(nil), junk...), data...))
		if _, err := r.Seek(int64(len(junk)), io.SeekStart); err != nil {
			t.Fatal(err)
		}
		pt, pf, perr := ReadFrom(r, "in.csv", ReadOptions{})
		if fmt.Sprint(serr) != fmt.Sprint(perr) || !reflect.DeepEqual(st, pt) || !reflect.DeepEqual(sf, pf) {
			t.Fatal("ReadFrom of a partly read reader differs from the sequential read")
		}
		if r.Len() != 0 {
			t.Fatalf("%d bytes left unread", r.Len())
		}
		// A size limit below the input is the sequential reader's error.
		_, _, err := ReadFrom(bytes.NewReader(data), "in.csv", ReadOptions{MaxFileBytes: int64(len(data) / 2)})
		if err == nil || !strings.Contains(err.Error(), "limit") {
			t.Fatalf("size limit: error %v", err)
		}
	})
}

// FuzzParallelCSV: for any input, reading in parallel byte ranges (cut
// anywhere, on 2–4 cores) gives exactly what the sequential reader gives.
//
//	go test ./ssda903 -run '^$' -fuzz '^FuzzParallelCSV$' -fuzztime 60s
func FuzzParallelCSV(f *testing.F) {
	f.Add([]byte(epCols+"1,01/04/2024,S,C1,N1,U4,PR1,,,,AB1 2CD,EF3 4GH,\n2,01/04/2024,S,C1,N1,U4,PR1,,,,\"AB1\n2CD\",EF3 4GH,\n3,x\n"), uint8(3))
	f.Add([]byte("CHILD,SEX,DOB,ETHNIC\r\n1,m,01/01/2010,wbri\r\n\r\n2,\"1\r\n\",01/01/2010,\xe9\r\nCHILD,SEX,DOB,ETHNIC\r\n"), uint8(1))
	f.Add(messyEpisodes(60, 1, true), uint8(17))
	f.Fuzz(func(t *testing.T, data []byte, cut uint8) {
		withParallel(t, 1+int64(cut)%64, 2+int(cut)%3, func() {
			st, sf, serr := readSeq(data)
			pt, pf, perr, _ := readPar(data)
			if fmt.Sprint(serr) != fmt.Sprint(perr) || !reflect.DeepEqual(st, pt) || !reflect.DeepEqual(sf, pf) {
				t.Fatalf("parallel read differs:\nparallel   %v %+v\nsequential %v %+v", perr, pf, serr, sf)
			}
		})
	})
}
