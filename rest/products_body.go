package rest

import (
	"bytes"
	"encoding/json"
	"math"

	"github.com/gorgon-commerce/gorgon/store"
)

// The product request bodies nest arrays of objects (variants, their prices and options, tags),
// which class-validator checks property by property in the request class's order, nested
// messages in their parent's place. Their top-level fields are json.RawMessage (decodeBody then
// reports only unknown properties), and pbCheck walks them in the class's order with
// class-validator's messages, recording every message under its top-level property.

// pbCheck records messages about one top-level property (field) of a request body.
type pbCheck struct {
	v     *store.Violations
	field string
}

func (c pbCheck) fail(msg string) { c.v.Add(true, c.field, msg) }

// pbAt returns a checker for the top-level property name.
func pbAt(v *store.Violations, name string) pbCheck { return pbCheck{v: v, field: name} }

func pbNull(raw json.RawMessage) bool {
	return raw == nil || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// str checks an IsString property; null reports an explicit null (IsOptional lets it through).
func (c pbCheck) str(name string, raw json.RawMessage, required bool) (s *string, null bool) {
	if pbNull(raw) {
		if required {
			c.fail(name + " must be a string")
		}
		return nil, raw != nil
	}
	var out string
	if json.Unmarshal(raw, &out) != nil {
		c.fail(name + " must be a string")
		return nil, false
	}
	return &out, false
}

// nullableStr turns an optional IsString property into a nullable column update.
func (c pbCheck) nullableStr(name string, raw json.RawMessage) **string {
	s, null := c.str(name, raw, false)
	return pbNullable(s, null)
}

func pbNullable[T any](v *T, null bool) **T {
	switch {
	case v != nil:
		return &v
	case null:
		var none *T
		return &none
	}
	return nil
}

// number checks an optional IsNumber property of an integer column (a fraction is refused with
// the same message, as the column could not hold it).
func (c pbCheck) number(name string, raw json.RawMessage) (n *int, null bool) {
	if pbNull(raw) {
		return nil, raw != nil
	}
	var f float64
	if json.Unmarshal(raw, &f) != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
		c.fail(name + " must be a number conforming to the specified constraints")
		return nil, false
	}
	i := int(f)
	return &i, false
}

func (c pbCheck) nullableNumber(name string, raw json.RawMessage) **int {
	n, null := c.number(name, raw)
	return pbNullable(n, null)
}

// integer checks an IsInt property.
func (c pbCheck) integer(name string, raw json.RawMessage, required bool) *int {
	if pbNull(raw) {
		if required {
			c.fail(name + " must be an integer number")
		}
		return nil
	}
	var f float64
	if json.Unmarshal(raw, &f) != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
		c.fail(name + " must be an integer number")
		return nil
	}
	i := int(f)
	return &i
}

// boolean checks an IsBoolean property; without IsOptional a null is refused too.
func (c pbCheck) boolean(name string, raw json.RawMessage, optional bool) *bool {
	if raw == nil || (optional && pbNull(raw)) {
		return nil
	}
	var b bool
	if pbNull(raw) || json.Unmarshal(raw, &b) != nil {
		c.fail(name + " must be a boolean value")
		return nil
	}
	return &b
}

// object checks an optional IsObject property (arrays are not objects).
func (c pbCheck) object(name string, raw json.RawMessage) map[string]any {
	if pbNull(raw) {
		return nil
	}
	var out map[string]any
	if json.Unmarshal(raw, &out) != nil {
		c.fail(name + " must be an object")
		return nil
	}
	return out
}

// strings checks an optional IsArray property whose elements class-validator does not check;
// elements that are not strings are kept as their JSON text.
func (c pbCheck) strings(name string, raw json.RawMessage) []string {
	if pbNull(raw) {
		return nil
	}
	var elems []json.RawMessage
	if json.Unmarshal(raw, &elems) != nil {
		c.fail(name + " must be an array")
		return nil
	}
	out := make([]string, len(elems))
	for i, e := range elems {
		if json.Unmarshal(e, &out[i]) != nil {
			out[i] = string(e)
		}
	}
	return out
}

// pbObject is a nested object being checked: its properties by name.
type pbObject map[string]json.RawMessage

// nested checks `@ValidateNested({ each }) @IsArray()` (each) or `@ValidateNested()` properties:
// a missing value passes when optional, else fails IsArray only; an array's object elements are
// checked by fn after their unknown properties are reported. It returns the checked objects.
func (c pbCheck) nested(name string, raw json.RawMessage, each, optional bool, known []string, fn func(pbObject)) []pbObject {
	if pbNull(raw) {
		if !optional && each {
			c.fail(name + " must be an array")
		}
		return nil
	}
	var val any
	if json.Unmarshal(raw, &val) != nil {
		return nil
	}
	prefix := "nested property "
	if each {
		prefix = "each value in nested property "
	}
	check := func(raw json.RawMessage) pbObject {
		var obj pbObject
		if json.Unmarshal(raw, &obj) != nil || obj == nil {
			c.fail(prefix + name + " must be either object or array")
			return nil
		}
		for _, k := range objectKeys(raw) {
			if !pbKnown(known, k) {
				c.fail("property " + k + " should not exist")
			}
		}
		fn(obj)
		return obj
	}
	switch val.(type) {
	case []any:
		if !each {
			c.fail(prefix + name + " must be either object or array")
			return nil
		}
		var elems []json.RawMessage
		_ = json.Unmarshal(raw, &elems)
		out := make([]pbObject, 0, len(elems))
		for _, e := range elems {
			if obj := check(e); obj != nil {
				out = append(out, obj)
			}
		}
		return out
	case map[string]any:
		if each {
			c.fail(name + " must be an array")
		}
		check(raw)
		if each {
			return nil
		}
		var obj pbObject
		_ = json.Unmarshal(raw, &obj)
		return []pbObject{obj}
	default:
		if each {
			c.fail(name + " must be an array")
		}
		c.fail(prefix + name + " must be either object or array")
		return nil
	}
}

func pbKnown(known []string, k string) bool {
	for _, n := range known {
		if n == k {
			return true
		}
	}
	return false
}

// pbTruthy is JavaScript's truthiness of a JSON value.
func pbTruthy(raw json.RawMessage) bool {
	if pbNull(raw) {
		return false
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return x != ""
	case float64:
		return x != 0 && !math.IsNaN(x)
	}
	return true
}

// prices checks ProductVariantPricesCreateReq / ProductVariantPricesUpdateReq elements: region_id
// and currency_code in a XOR relation (skipped for an update price with an id), an integer
// amount and optional integer quantities.
func (c pbCheck) prices(raw json.RawMessage, update, optional bool) []store.PriceInput {
	known := []string{"region_id", "currency_code", "amount", "min_quantity", "max_quantity"}
	if update {
		known = append([]string{"id"}, known...)
	}
	var out []store.PriceInput
	c.nested("prices", raw, true, optional, known, func(o pbObject) {
		var p store.PriceInput
		if update {
			p.ID, _ = c.str("id", o["id"], false)
		}
		xor := !update || !pbTruthy(o["id"])
		region, currency := pbTruthy(o["region_id"]), pbTruthy(o["currency_code"])
		if xor && region == currency {
			c.fail(`Failed XOR relation between "region_id" and "currency_code".`)
			c.fail(`Failed XOR relation between "currency_code" and "region_id".`)
		}
		p.RegionID = pbAnyString(o["region_id"])
		p.CurrencyCode = pbAnyString(o["currency_code"])
		if a := c.integer("amount", o["amount"], true); a != nil {
			p.Amount = *a
		}
		p.MinQuantity = c.integer("min_quantity", o["min_quantity"], false)
		p.MaxQuantity = c.integer("max_quantity", o["max_quantity"], false)
		out = append(out, p)
	})
	if out == nil && !pbNull(raw) {
		out = []store.PriceInput{}
	}
	return out
}

// pbAnyString reads a property class-validator does not type-check as a string (XOR only).
func pbAnyString(raw json.RawMessage) *string {
	if !pbTruthy(raw) {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	return &s
}

// variantOptions checks ProductVariantOptionReq elements ({value}, or {value, option_id}).
func (c pbCheck) variantOptions(raw json.RawMessage, withOptionID bool) []store.VariantOptionInput {
	known := []string{"value"}
	if withOptionID {
		known = append(known, "option_id")
	}
	out := []store.VariantOptionInput{}
	c.nested("options", raw, true, true, known, func(o pbObject) {
		var opt store.VariantOptionInput
		if v, _ := c.str("value", o["value"], true); v != nil {
			opt.Value = *v
		}
		if withOptionID {
			if id, _ := c.str("option_id", o["option_id"], true); id != nil {
				opt.OptionID = *id
			}
		}
		out = append(out, opt)
	})
	return out
}

// variantFieldNames are the properties of Medusa's variant request classes, in order.
var variantFieldNames = []string{"id", "title", "sku", "ean", "upc", "barcode", "hs_code", "inventory_quantity", "allow_backorder",
	"manage_inventory", "weight", "length", "height", "width", "origin_country", "mid_code", "material", "metadata", "prices", "options"}

// createVariant checks a variant to create (ProductVariantReq of a product create, or
// AdminPostProductsProductVariantsReq); optionIDs tells whether options carry option_id.
func (c pbCheck) createVariant(o pbObject, optionIDs bool) store.CreateVariantInput {
	var in store.CreateVariantInput
	if t, _ := c.str("title", o["title"], true); t != nil {
		in.Title = *t
	}
	in.SKU, _ = c.str("sku", o["sku"], false)
	in.EAN, _ = c.str("ean", o["ean"], false)
	in.UPC, _ = c.str("upc", o["upc"], false)
	in.Barcode, _ = c.str("barcode", o["barcode"], false)
	in.HSCode, _ = c.str("hs_code", o["hs_code"], false)
	if q, _ := c.number("inventory_quantity", o["inventory_quantity"]); q != nil {
		in.InventoryQuantity = *q
	}
	in.AllowBackorder = c.boolean("allow_backorder", o["allow_backorder"], true)
	in.ManageInventory = c.boolean("manage_inventory", o["manage_inventory"], true)
	in.Weight, _ = c.number("weight", o["weight"])
	in.Length, _ = c.number("length", o["length"])
	in.Height, _ = c.number("height", o["height"])
	in.Width, _ = c.number("width", o["width"])
	in.OriginCountry, _ = c.str("origin_country", o["origin_country"], false)
	in.MIDCode, _ = c.str("mid_code", o["mid_code"], false)
	in.Material, _ = c.str("material", o["material"], false)
	in.Metadata = c.object("metadata", o["metadata"])
	in.Prices = c.prices(o["prices"], false, false)
	in.Options = c.variantOptions(o["options"], optionIDs)
	return in
}

// updateVariant checks a variant update (ProductVariantReq of a product update, with id and an
// IsInt inventory_quantity, or AdminPostProductsProductVariantsVariantReq, whose prices are
// required).
func (c pbCheck) updateVariant(o pbObject, ofProduct bool) store.UpdateVariantInput {
	var in store.UpdateVariantInput
	if ofProduct {
		in.ID, _ = c.str("id", o["id"], false)
	}
	in.Title, _ = c.str("title", o["title"], false)
	in.SKU = c.nullableStr("sku", o["sku"])
	in.EAN = c.nullableStr("ean", o["ean"])
	in.UPC = c.nullableStr("upc", o["upc"])
	in.Barcode = c.nullableStr("barcode", o["barcode"])
	in.HSCode = c.nullableStr("hs_code", o["hs_code"])
	if ofProduct {
		in.InventoryQuantity = c.integer("inventory_quantity", o["inventory_quantity"], false)
	} else {
		in.InventoryQuantity, _ = c.number("inventory_quantity", o["inventory_quantity"])
	}
	in.AllowBackorder = c.boolean("allow_backorder", o["allow_backorder"], true)
	in.ManageInventory = c.boolean("manage_inventory", o["manage_inventory"], true)
	in.Weight = c.nullableNumber("weight", o["weight"])
	in.Length = c.nullableNumber("length", o["length"])
	in.Height = c.nullableNumber("height", o["height"])
	in.Width = c.nullableNumber("width", o["width"])
	in.OriginCountry = c.nullableStr("origin_country", o["origin_country"])
	in.MIDCode = c.nullableStr("mid_code", o["mid_code"])
	in.Material = c.nullableStr("material", o["material"])
	in.Metadata = c.object("metadata", o["metadata"])
	in.Prices = c.prices(o["prices"], true, ofProduct)
	in.Options = c.variantOptions(o["options"], true)
	for _, k := range objectKeys(pbRaw(o)) {
		in.Fields = append(in.Fields, k)
	}
	return in
}

// pbRaw re-encodes a checked object (for its keys).
func pbRaw(o pbObject) json.RawMessage {
	b, _ := json.Marshal(o)
	return b
}
