package geo

import "math"

// FromLatLon converts a WGS84 latitude and longitude (degrees) to a position
// on the Ordnance Survey National Grid, by the Ordnance Survey's published
// method ("A guide to coordinate systems in Great Britain"): a seven-parameter
// Helmert transformation from WGS84 to OSGB36, then the National Grid's
// transverse Mercator projection on the Airy 1830 ellipsoid. It is accurate
// to a few metres across Great Britain (the Helmert approximation of the
// OSTN15 grid); the package uses it only to bring Northern Ireland, whose
// postcodes are published on the Irish Grid, onto the same grid so that
// distances to placements there can be measured (the projection stretches
// slightly so far from its central meridian: under 0.1% at Belfast).
func FromLatLon(lat, lon float64) Point {
	// WGS84 (GRS80) geodetic → cartesian, height 0.
	const a1, b1 = 6378137.000, 6356752.314140
	phi, lam := rad(lat), rad(lon)
	e2 := 1 - (b1*b1)/(a1*a1)
	nu := a1 / math.Sqrt(1-e2*sq(math.Sin(phi)))
	x := nu * math.Cos(phi) * math.Cos(lam)
	y := nu * math.Cos(phi) * math.Sin(lam)
	z := (1 - e2) * nu * math.Sin(phi)

	// Helmert WGS84 → OSGB36.
	const tx, ty, tz = -446.448, 125.157, -542.060
	const s = 20.4894e-6
	rx, ry, rz := arcsec(-0.1502), arcsec(-0.2470), arcsec(-0.8421)
	x2 := tx + (1+s)*x - rz*y + ry*z
	y2 := ty + rz*x + (1+s)*y - rx*z
	z2 := tz - ry*x + rx*y + (1+s)*z

	// Cartesian → geodetic on Airy 1830.
	const a, b = 6377563.396, 6356256.909
	e2 = 1 - (b*b)/(a*a)
	p := math.Hypot(x2, y2)
	phi = math.Atan2(z2, p*(1-e2))
	for i := 0; i < 10; i++ {
		nu = a / math.Sqrt(1-e2*sq(math.Sin(phi)))
		next := math.Atan2(z2+e2*nu*math.Sin(phi), p)
		if math.Abs(next-phi) < 1e-12 {
			phi = next
			break
		}
		phi = next
	}
	lam = math.Atan2(y2, x2)
	return project(phi, lam, a, b)
}

// project applies the National Grid transverse Mercator projection to an
// OSGB36 latitude and longitude (radians) on the ellipsoid (a, b).
func project(phi, lam, a, b float64) Point {
	const f0 = 0.9996012717
	phi0, lam0 := rad(49), rad(-2)
	const e0, n0 = 400000.0, -100000.0
	e2 := 1 - (b*b)/(a*a)
	n := (a - b) / (a + b)
	sin, cos, tan := math.Sin(phi), math.Cos(phi), math.Tan(phi)
	nu := a * f0 / math.Sqrt(1-e2*sin*sin)
	rho := a * f0 * (1 - e2) / math.Pow(1-e2*sin*sin, 1.5)
	eta2 := nu/rho - 1
	dp, sp := phi-phi0, phi+phi0
	m := b * f0 * ((1+n+5.0/4*n*n+5.0/4*n*n*n)*dp -
		(3*n+3*n*n+21.0/8*n*n*n)*math.Sin(dp)*math.Cos(sp) +
		(15.0/8*n*n+15.0/8*n*n*n)*math.Sin(2*dp)*math.Cos(2*sp) -
		(35.0/24*n*n*n)*math.Sin(3*dp)*math.Cos(3*sp))
	i := m + n0
	ii := nu / 2 * sin * cos
	iii := nu / 24 * sin * cos * cos * cos * (5 - tan*tan + 9*eta2)
	iiia := nu / 720 * sin * math.Pow(cos, 5) * (61 - 58*tan*tan + math.Pow(tan, 4))
	iv := nu * cos
	v := nu / 6 * cos * cos * cos * (nu/rho - tan*tan)
	vi := nu / 120 * math.Pow(cos, 5) * (5 - 18*tan*tan + math.Pow(tan, 4) + 14*eta2 - 58*tan*tan*eta2)
	dl := lam - lam0
	north := i + ii*dl*dl + iii*math.Pow(dl, 4) + iiia*math.Pow(dl, 6)
	east := e0 + iv*dl + v*math.Pow(dl, 3) + vi*math.Pow(dl, 5)
	return Point{Easting: east, Northing: north}
}

func rad(deg float64) float64  { return deg * math.Pi / 180 }
func arcsec(s float64) float64 { return rad(s / 3600) }
func sq(x float64) float64     { return x * x }
