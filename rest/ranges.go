package rest

import (
	"encoding/json"
	"math"

	"github.com/gorgon-commerce/gorgon/store"
)

// What Medusa's columns can hold. class-validator's IsInt, IsNumber and IsDate accept values
// that the columns behind them cannot store (Medusa then answers a 500 from the failed query);
// Gorgon refuses them with the decorator's message instead.

// fitsInt4 tells whether an integer-valued number fits an `integer` column (money amounts,
// quantities, gift card values).
func fitsInt4(f float64) bool {
	return f >= math.MinInt32 && f <= math.MaxInt32
}

// fitsReal tells whether PostgreSQL's `real` (float4) takes a number: it refuses magnitudes
// above float4's range, and non-zero ones so small that they would become 0.
func fitsReal(f float64) bool {
	a := math.Abs(f)
	return a <= math.MaxFloat32 && (a == 0 || float32(a) != 0)
}

// cvReal is cvNumber for a property stored in a `real` column.
func cvReal(v *store.Violations, name string, raw json.RawMessage, required bool) *float64 {
	f := cvNumber(v, name, raw, required)
	if f != nil && !fitsReal(*f) {
		v.Add(true, name, name+" must be a number conforming to the specified constraints")
		return nil
	}
	return f
}
