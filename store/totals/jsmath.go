package totals

import "math"

// Medusa computes money in JavaScript numbers (IEEE doubles) and rounds with Math.round in a
// few chosen places only. Every amount it stores is an integer below 2^53, so int64 and float64
// convert between each other exactly; where Medusa's arithmetic goes through fractions (a rate
// divided by 100, a share of a subtotal) this package does the same float64 operations in the
// same order and rounds where Medusa rounds, so results agree to the last unit.

// jsRound is JavaScript's Math.round: the nearest integer, halves towards +Infinity
// (Math.round(-2.5) is -2, Math.round(2.5) is 3). NaN and infinities pass through. Computing
// the fraction as x-floor(x) (exact for doubles) avoids the floor(x+0.5) error at
// 0.49999999999999994.
func jsRound(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	f := math.Floor(x)
	if x-f >= 0.5 {
		return f + 1
	}
	return f
}

// orZero is JavaScript's `x || 0` for a number: NaN (and 0) become 0.
func orZero(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

// toMoney turns a JavaScript number Medusa would serialise into minor units. Medusa's amounts
// are integral by the time they are stored or shown; NaN (which JSON shows as null) and
// infinities only arise from ill-formed rows (an item of quantity 0 carrying a discount) and
// become 0 here.
func toMoney(x float64) int64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return int64(x)
}

// PriceTax is the tax of a price as Medusa's pricing service computes it (calculateTaxes): the
// rates, in percent, summed as fractions in order, times the price, rounded with Math.round.
func PriceTax(amount int, rates []float64) int {
	rate := 0.0
	for _, r := range rates {
		rate += r / 100
	}
	return int(jsRound(float64(amount) * rate))
}
