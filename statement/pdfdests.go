package statement

import (
	"regexp"
	"strconv"
)

// The contents page's numbers come from the first print: Chromium (Skia)
// writes a named destination for every element with an id that a link
// points to, as /Dests << /name [page-object /XYZ x y z] ... >> in plain
// (uncompressed) objects, and the page tree as /Pages objects with /Kids.

var (
	objStart = regexp.MustCompile(`(?m)(?:^|[\r\n])(\d+) 0 obj\b`)
	destsRef = regexp.MustCompile(`/Dests (\d+) 0 R`)
	pagesRef = regexp.MustCompile(`/Type /Catalog[^>]*?/Pages (\d+) 0 R|/Pages (\d+) 0 R[^>]*?/Type /Catalog`)
	destEnt  = regexp.MustCompile(`/([A-Za-z0-9_.#-]+)\s*\[\s*(\d+) 0 R`)
	kidsRe   = regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`)
	refRe    = regexp.MustCompile(`(\d+) 0 R`)
	typePgs  = regexp.MustCompile(`/Type\s*/Pages\b`)
)

// pdfObjects indexes a PDF's objects by number: the text from "N 0 obj" to
// "endobj".
func pdfObjects(pdf []byte) map[int][]byte {
	out := map[int][]byte{}
	locs := objStart.FindAllSubmatchIndex(pdf, -1)
	for _, l := range locs {
		n, err := strconv.Atoi(string(pdf[l[2]:l[3]]))
		if err != nil {
			continue
		}
		body := pdf[l[1]:]
		if end := indexOf(body, []byte("endobj")); end >= 0 {
			body = body[:end]
		}
		if len(body) > 1<<16 { // a stream: not what we look for
			body = body[:1<<16]
		}
		out[n] = body
	}
	return out
}

func indexOf(b, sub []byte) int {
	for i := 0; i+len(sub) <= len(b); i++ {
		if string(b[i:i+len(sub)]) == string(sub) {
			return i
		}
	}
	return -1
}

// namedDestPages returns the 1-based page of each named destination of a
// PDF Chromium printed; nil when it has none or cannot be read.
func namedDestPages(pdf []byte) map[string]int {
	objs := pdfObjects(pdf)
	var root int
	for _, body := range objs {
		if m := pagesRef.FindSubmatch(body); m != nil {
			s := m[1]
			if len(s) == 0 {
				s = m[2]
			}
			root, _ = strconv.Atoi(string(s))
			break
		}
	}
	if root == 0 {
		return nil
	}
	pageNo := map[int]int{}
	var walk func(n, depth int)
	walk = func(n, depth int) {
		body, ok := objs[n]
		if !ok || depth > 32 {
			return
		}
		if typePgs.Match(body) {
			if k := kidsRe.FindSubmatch(body); k != nil {
				for _, r := range refRe.FindAllSubmatch(k[1], -1) {
					id, _ := strconv.Atoi(string(r[1]))
					walk(id, depth+1)
				}
			}
			return
		}
		pageNo[n] = len(pageNo) + 1
	}
	walk(root, 0)
	var dests []byte
	for _, body := range objs {
		if m := destsRef.FindSubmatch(body); m != nil {
			n, _ := strconv.Atoi(string(m[1]))
			dests = objs[n]
			break
		}
	}
	if dests == nil {
		return nil
	}
	out := map[string]int{}
	for _, m := range destEnt.FindAllSubmatch(dests, -1) {
		obj, _ := strconv.Atoi(string(m[2]))
		if p, ok := pageNo[obj]; ok {
			out[string(m[1])] = p
		}
	}
	return out
}
