package store

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// productImport is Medusa 1.3.8's product-import strategy (strategies/batch-jobs/product/
// import.ts with its CSV schema): context.fileKey names an uploaded ";"-separated file, one
// line per variant, the product's columns on its lines (the first line of a handle gives the
// product's data). Pre-processing reads and checks the whole file and says how many products and
// variants will be created and updated; processing writes the products, a batch of products per
// transaction.
//
// Where Medusa 1.3.8 cannot read its own export (it expects "Product id", "Variant id",
// "Product Mid Code", "Sales Channel N Name" where its export writes "Product ID", "Variant ID",
// "Product MID Code", "Sales channel N Name"; it never finds a product to update), Gorgon reads
// both spellings, case-insensitively, so a file its product export wrote imports back: a
// product is updated when its Product ID or else its Product Handle names a live product, a
// variant when its Variant ID names a variant of that product or else its Variant SKU does.
type productImport struct{}

func init() { RegisterBatchJobType("product-import", productImport{}) }

// importBatchProducts is how many products one transaction of the processing writes (the
// context's batch_size overrides it).
const importBatchProducts = 50

// Prepare keeps the context as it is (Medusa's default prepareBatchJobForProcessing).
func (productImport) Prepare(_ context.Context, _ *Store, c map[string]any) (map[string]any, error) {
	return c, nil
}

// importColumns are the fixed columns of Medusa's CSV schema (lower-cased names, its spelling
// and its export's) and the field each maps to.
var importColumns = map[string]string{
	"product id": "product.id", "product handle": "product.handle", "product title": "product.title",
	"product subtitle": "product.subtitle", "product description": "product.description",
	"product status": "product.status", "product thumbnail": "product.thumbnail",
	"product weight": "product.weight", "product length": "product.length", "product width": "product.width",
	"product height": "product.height", "product hs code": "product.hs_code",
	"product origin country": "product.origin_country", "product mid code": "product.mid_code",
	"product material": "product.material", "product collection title": "product.collection.title",
	"product collection handle": "product.collection.handle", "product type": "product.type.value",
	"product tags": "product.tags", "product discountable": "product.discountable",
	"product external id": "product.external_id", "product profile name": "product.profile.name",
	"product profile type": "product.profile.type",
	"variant id":           "variant.id", "variant title": "variant.title", "variant sku": "variant.sku",
	"variant barcode": "variant.barcode", "variant inventory quantity": "variant.inventory_quantity",
	"variant allow backorder": "variant.allow_backorder", "variant manage inventory": "variant.manage_inventory",
	"variant weight": "variant.weight", "variant length": "variant.length", "variant width": "variant.width",
	"variant height": "variant.height", "variant hs code": "variant.hs_code",
	"variant origin country": "variant.origin_country", "variant mid code": "variant.mid_code",
	"variant material": "variant.material",
}

var (
	importOptionName   = regexp.MustCompile(`(?i)^Option (\d+) Name$`)
	importOptionValue  = regexp.MustCompile(`(?i)^Option (\d+) Value$`)
	importPriceRegion  = regexp.MustCompile(`^Price (.+) \[([A-Za-z]{2,4})\]$`)
	importPriceCur     = regexp.MustCompile(`^Price ([A-Za-z]{2,4})$`)
	importImage        = regexp.MustCompile(`(?i)^Image (\d+) Url$`)
	importChannelName  = regexp.MustCompile(`(?i)^Sales Channel (\d+) Name$`)
	importChannelID    = regexp.MustCompile(`(?i)^Sales Channel (\d+) Id$`)
	importChannelDescr = regexp.MustCompile(`(?i)^Sales Channel (\d+) Description$`)
)

// importColumn is a header cell resolved: a fixed field, or a dynamic column with its number
// (options, images, channels) or its price target.
type importColumn struct {
	field  string // fixed field, or "option.name", "option.value", "price", "image", "channel.name", "channel.id", "ignore"
	n      int
	region string // price: region name ("" for a currency price)
	cur    string // price: currency code (lower case)
}

// importPrice is a price cell of a line.
type importPrice struct {
	region, currency string
	amount           int
}

// importRow is one line of the file.
type importRow struct {
	line       int
	cells      map[string]string // fixed fields present in the header
	optNames   map[int]string
	optValues  map[int]string
	prices     []importPrice
	hasPrices  bool
	images     []string
	hasImages  bool
	channels   []importChannel
	hasChannel bool
}

type importChannel struct{ id, name string }

// importProduct is a product of the file: its lines, the first one giving the product's data.
type importProduct struct {
	handle string
	rows   []*importRow
}

func (p *importProduct) first() *importRow { return p.rows[0] }

// ops is the number of Medusa's operations for the product: the product and each line's variant.
func (p *importProduct) ops() int { return 1 + len(p.rows) }

func (r *importRow) get(field string) (string, bool) {
	v, ok := r.cells[field]
	return v, ok
}

// rowError is Medusa's throwDescriptiveError: the row's identity, then what is wrong.
func rowError(r *importRow, format string, args ...any) error {
	id, _ := r.get("product.id")
	handle, _ := r.get("product.handle")
	vid, _ := r.get("variant.id")
	sku, _ := r.get("variant.sku")
	return Invalidf("Error while processing row %d with: product id: %s, product handle: %s, variant id: %s, variant sku: %s: %s",
		r.line, id, handle, vid, sku, fmt.Sprintf(format, args...))
}

// resolveImportHeader maps each header cell to its column.
func resolveImportHeader(header []string, salesChannels bool) ([]importColumn, error) {
	cols := make([]importColumn, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		var c importColumn
		if f, ok := importColumns[strings.ToLower(h)]; ok {
			c.field = f
		} else if m := importOptionName.FindStringSubmatch(h); m != nil {
			c.field, c.n = "option.name", atoiOr0(m[1])
		} else if m := importOptionValue.FindStringSubmatch(h); m != nil {
			c.field, c.n = "option.value", atoiOr0(m[1])
		} else if m := importPriceRegion.FindStringSubmatch(h); m != nil {
			c.field, c.region, c.cur = "price", m[1], strings.ToLower(m[2])
		} else if m := importPriceCur.FindStringSubmatch(h); m != nil {
			c.field, c.cur = "price", strings.ToLower(m[1])
		} else if m := importImage.FindStringSubmatch(h); m != nil {
			c.field, c.n = "image", atoiOr0(m[1])
		} else if m := importChannelName.FindStringSubmatch(h); m != nil && salesChannels {
			c.field, c.n = "channel.name", atoiOr0(m[1])
		} else if m := importChannelID.FindStringSubmatch(h); m != nil && salesChannels {
			c.field, c.n = "channel.id", atoiOr0(m[1])
		} else if importChannelDescr.MatchString(h) && salesChannels {
			c.field = "ignore" // written by the export, not read back
		} else {
			return nil, Invalidf("Unable to treat column %s from the csv file. No target column found in the provided schema", h)
		}
		key := strings.ToLower(h)
		if seen[key] {
			return nil, Invalidf("Column %s appears twice in the csv file", h)
		}
		seen[key] = true
		cols[i] = c
	}
	if !slices.ContainsFunc(cols, func(c importColumn) bool { return c.field == "product.handle" }) {
		return nil, Invalidf(`Missing column(s) "Product Handle" from the given csv file`)
	}
	return cols, nil
}

func atoiOr0(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// importDelimiter guesses the file's delimiter from its header line as Papa Parse does among
// its candidates: the one that occurs most.
func importDelimiter(header string) rune {
	best, bestN := ';', 0
	for _, d := range []rune{';', ',', '\t', '|'} {
		if n := strings.Count(header, string(d)); n > bestN {
			best, bestN = d, n
		}
	}
	return best
}

// eachImportProduct reads and checks the file, then hands its products to fn one at a time, in
// order of their first line, each with all its lines. The file is read twice and never held: the
// first pass checks the header and every line (the handle present, numbers, booleans and statuses
// well formed) before fn sees anything, and notes each product's last line; the second keeps the
// lines of the products not yet complete, which are a product or two when a product's lines are
// together, as exports write them (scattered lines are still grouped, at the cost of keeping them
// until their product is complete).
func (s *Store) eachImportProduct(ctx context.Context, key string, fn func(*importProduct) error) error {
	lastLine := map[string]int{}
	if err := s.readImportFile(ctx, key, func(row *importRow) error {
		lastLine[row.cells["product.handle"]] = row.line
		return nil
	}); err != nil {
		return err
	}
	pending := map[string]*importProduct{}
	var queue []*importProduct // by first line; complete ones leave from the front
	return s.readImportFile(ctx, key, func(row *importRow) error {
		h := row.cells["product.handle"]
		p := pending[h]
		if p == nil {
			p = &importProduct{handle: h}
			pending[h] = p
			queue = append(queue, p)
		}
		p.rows = append(p.rows, row)
		for len(queue) > 0 && queue[0].rows[len(queue[0].rows)-1].line == lastLine[queue[0].handle] {
			done := queue[0]
			queue[0], queue = nil, queue[1:]
			delete(pending, done.handle)
			if err := fn(done); err != nil {
				return err
			}
		}
		return nil
	})
}

// readImportFile reads the file's header and hands fn each line, checked, in file order.
func (s *Store) readImportFile(ctx context.Context, key string, fn func(*importRow) error) error {
	if s.Files == nil {
		return errNoFileService()
	}
	if key == "" {
		return Invalidf("The batch job context must name the file to import (fileKey)")
	}
	rc, err := s.Files.Open(ctx, key)
	if err != nil {
		return fileError(err, key, "open import file")
	}
	defer rc.Close()
	br := bufio.NewReader(rc)
	peek, _ := br.Peek(4096)
	firstLine, _, _ := strings.Cut(strings.TrimPrefix(string(peek), "\ufeff"), "\n")
	r := csv.NewReader(br)
	r.Comma = importDelimiter(firstLine)
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return Invalidf("The csv file is empty")
	}
	if err != nil {
		return Invalidf("The csv file cannot be read: %v", err)
	}
	header = append([]string(nil), header...)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	cols, err := resolveImportHeader(header, s.Config.FeatureSalesChannels)
	if err != nil {
		return err
	}
	for line := 1; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return Invalidf("The csv file cannot be read: %v", err)
		}
		if len(rec) == 1 && rec[0] == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			return Invalidf("Line %d of the given csv file has %d values, its header %d columns", line, len(rec), len(header))
		}
		row, err := importRowOf(line, cols, header, rec)
		if err != nil {
			return err
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

var (
	importIntFields = []string{"product.weight", "product.length", "product.width", "product.height",
		"variant.inventory_quantity", "variant.weight", "variant.length", "variant.width", "variant.height"}
	importBoolFields = []string{"product.discountable", "variant.allow_backorder", "variant.manage_inventory"}
)

func importRowOf(line int, cols []importColumn, header, rec []string) (*importRow, error) {
	row := &importRow{line: line, cells: map[string]string{}, optNames: map[int]string{}, optValues: map[int]string{}}
	for i, c := range cols {
		v := rec[i]
		switch c.field {
		case "ignore":
		case "option.name":
			if v != "" {
				row.optNames[c.n] = v
			}
		case "option.value":
			if v != "" {
				row.optValues[c.n] = v
			}
		case "price":
			row.hasPrices = true
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, Invalidf("Line %d: %s must be an integer amount, got %q", line, header[i], v)
			}
			row.prices = append(row.prices, importPrice{region: c.region, currency: c.cur, amount: n})
		case "image":
			row.hasImages = true
			if v != "" {
				row.images = append(row.images, v)
			}
		case "channel.name", "channel.id":
			row.hasChannel = true
			if v == "" {
				continue
			}
			for len(row.channels) < c.n {
				row.channels = append(row.channels, importChannel{})
			}
			if c.n >= 1 {
				if c.field == "channel.name" {
					row.channels[c.n-1].name = v
				} else {
					row.channels[c.n-1].id = v
				}
			}
		default:
			row.cells[c.field] = v
		}
	}
	if row.cells["product.handle"] == "" {
		return nil, Invalidf(`No value found for target column "Product Handle" in line %d of the given csv file`, line)
	}
	for _, f := range importIntFields {
		if v := row.cells[f]; v != "" {
			if _, err := strconv.Atoi(v); err != nil {
				return nil, rowError(row, "%s must be an integer, got %q", f, v)
			}
		}
	}
	for _, f := range importBoolFields {
		if v := strings.ToLower(row.cells[f]); v != "" && v != "true" && v != "false" {
			return nil, rowError(row, "%s must be true or false, got %q", f, row.cells[f])
		}
	}
	if v := row.cells["product.status"]; v != "" && !ValidProductStatus(v) {
		return nil, rowError(row, "product.status must be one of draft, proposed, published, rejected, got %q", v)
	}
	for n := range row.optValues {
		if row.optNames[n] == "" {
			return nil, rowError(row, "Option %d Value has no Option %d Name", n, n)
		}
	}
	channels := row.channels[:0]
	for _, ch := range row.channels {
		if ch.id != "" || ch.name != "" {
			channels = append(channels, ch)
		}
	}
	row.channels = channels
	return row, nil
}

// optionTitles are a line's option names in column order.
func (r *importRow) optionTitles() []string {
	ns := make([]int, 0, len(r.optNames))
	for n := range r.optNames {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = r.optNames[n]
	}
	return out
}

// optionValue is the line's value for the option of that title.
func (r *importRow) optionValue(title string) (string, bool) {
	for n, t := range r.optNames {
		if t == title {
			v, ok := r.optValues[n]
			return v, ok
		}
	}
	return "", false
}

// importTarget is what a product of the file becomes: an existing product to update (its
// option ids by title) or a new one, and for each line the variant it updates ("": a new one).
type importTarget struct {
	productID string
	options   map[string]string
	variants  []string
}

// resolveImportProduct finds the product and variants a product of the file updates, and checks
// everything its writing needs (regions, currencies, sales channels, options, SKUs) so that a
// file that passes writes whole.
//
// skus are the file's SKUs seen so far (by line); known caches the currencies and regions
// found.
func (s *Store) resolveImportProduct(ctx context.Context, db bun.IDB, p *importProduct, skus map[string]int, known map[string]bool) (*importTarget, error) {
	t := &importTarget{variants: make([]string, len(p.rows))}
	first := p.first()
	if id := first.cells["product.id"]; id != "" {
		err := db.NewSelect().Model((*model.Product)(nil)).Column("id").Where("id = ?", id).Scan(ctx, &t.productID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("find product: %w", err)
		}
	}
	var byHandle string
	err := db.NewSelect().Model((*model.Product)(nil)).Column("id").Where("handle = ?", p.handle).Scan(ctx, &byHandle)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("find product: %w", err)
	}
	if t.productID == "" {
		t.productID = byHandle
	} else if byHandle != "" && byHandle != t.productID {
		// Found by its id, the product would take the handle of another one.
		return nil, rowError(first, "The handle %s is the product %s's", p.handle, byHandle)
	}
	var existing []*model.ProductVariant
	if t.productID != "" {
		t.options = map[string]string{}
		var options []*model.ProductOption
		if err := db.NewSelect().Model(&options).Where("product_option.product_id = ?", t.productID).Scan(ctx); err != nil {
			return nil, fmt.Errorf("product options: %w", err)
		}
		for _, o := range options {
			if _, ok := t.options[o.Title]; !ok {
				t.options[o.Title] = o.ID
			}
		}
		if err := db.NewSelect().Model(&existing).Column("id", "sku").Where("product_id = ?", t.productID).Scan(ctx); err != nil {
			return nil, fmt.Errorf("product variants: %w", err)
		}
	} else if first.cells["product.title"] == "" {
		return nil, rowError(first, "Product Title is needed to create the product %s", p.handle)
	}
	titles := first.optionTitles()
	seenVariant := map[string]bool{}
	for i, r := range p.rows {
		vid, sku := r.cells["variant.id"], r.cells["variant.sku"]
		for _, v := range existing {
			if vid != "" && v.ID == vid {
				t.variants[i] = v.ID
			}
		}
		for _, v := range existing {
			if t.variants[i] == "" && sku != "" && v.SKU != nil && *v.SKU == sku {
				t.variants[i] = v.ID
			}
		}
		if t.variants[i] == "" && vid != "" {
			var other string
			err := db.NewSelect().Model((*model.ProductVariant)(nil)).Column("product_id").Where("id = ?", vid).Scan(ctx, &other)
			if err == nil {
				return nil, rowError(r, "Variant %s belongs to another product (%s)", vid, other)
			} else if !errors.Is(err, sql.ErrNoRows) {
				return nil, fmt.Errorf("find variant: %w", err)
			}
		}
		if t.variants[i] != "" {
			if seenVariant[t.variants[i]] {
				return nil, rowError(r, "The variant %s is on several lines", t.variants[i])
			}
			seenVariant[t.variants[i]] = true
		}
		if sku != "" {
			if line, ok := skus[sku]; ok && line != r.line {
				return nil, rowError(r, "Variant SKU %s is also on line %d", sku, line)
			}
			skus[sku] = r.line
			var owner string
			q := db.NewSelect().Model((*model.ProductVariant)(nil)).Column("id").Where("sku = ?", sku)
			if t.variants[i] != "" {
				q = q.Where("id <> ?", t.variants[i])
			}
			err := q.Limit(1).Scan(ctx, &owner)
			if err == nil {
				return nil, rowError(r, "Variant SKU %s is already used by the variant %s", sku, owner)
			} else if !errors.Is(err, sql.ErrNoRows) {
				return nil, fmt.Errorf("find sku: %w", err)
			}
		}
		if t.variants[i] == "" && r.cells["variant.title"] == "" {
			return nil, rowError(r, "Variant Title is needed to create a variant")
		}
		// Options: a new product takes its first line's names; every line gives a value for
		// each of the product's options.
		want := titles
		if t.productID != "" {
			want = nil
			for _, title := range r.optionTitles() {
				if _, ok := t.options[title]; !ok {
					return nil, rowError(r, "The product %s has no option %s", p.handle, title)
				}
			}
			if t.variants[i] == "" {
				for title := range t.options {
					want = append(want, title)
				}
			}
		}
		for _, title := range want {
			if _, ok := r.optionValue(title); !ok {
				return nil, rowError(r, "No value for the option %s", title)
			}
		}
		for _, pr := range r.prices {
			if pr.region != "" {
				if known["region:"+pr.region] {
					continue
				}
				if _, err := importRegion(ctx, db, pr.region, nil); err != nil {
					return nil, rowError(r, "%s", errMessage(err))
				}
				known["region:"+pr.region] = true
			} else {
				if known[pr.currency] {
					continue
				}
				n, err := db.NewSelect().Table("currency").Where("code = ?", pr.currency).Count(ctx)
				if err != nil {
					return nil, fmt.Errorf("find currency: %w", err)
				}
				known[pr.currency] = n > 0
				if n == 0 {
					return nil, rowError(r, "Currency %s does not exist", strings.ToUpper(pr.currency))
				}
			}
		}
	}
	if s.Config.FeatureSalesChannels {
		if _, err := importChannels(ctx, db, first); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// importRegion is Medusa's regionService.retrieveByName for a price column.
func importRegion(ctx context.Context, db bun.IDB, name string, cache map[string]string) (string, error) {
	if id, ok := cache[name]; ok {
		return id, nil
	}
	var id string
	err := db.NewSelect().Model((*model.Region)(nil)).Column("id").Where("name = ?", name).Limit(1).Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", Invalidf("Trying to set a price for a region %s that doesn't exist", name)
	}
	if err != nil {
		return "", fmt.Errorf("find region: %w", err)
	}
	if cache != nil {
		cache[name] = id
	}
	return id, nil
}

// importChannels is Medusa's processSalesChannels: each channel by id when it exists, else by
// name (channels are not created).
func importChannels(ctx context.Context, db bun.IDB, r *importRow) ([]string, error) {
	ids := []string{}
	for _, ch := range r.channels {
		var id string
		if ch.id != "" {
			err := db.NewSelect().Model((*model.SalesChannel)(nil)).Column("id").Where("id = ?", ch.id).Scan(ctx, &id)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, fmt.Errorf("find sales channel: %w", err)
			}
		}
		if id == "" {
			err := db.NewSelect().Model((*model.SalesChannel)(nil)).Column("id").Where("name = ?", ch.name).OrderExpr("created_at").Limit(1).Scan(ctx, &id)
			if errors.Is(err, sql.ErrNoRows) {
				return nil, rowError(r, "Sales channel with name: %s was not found", ch.name)
			}
			if err != nil {
				return nil, fmt.Errorf("find sales channel: %w", err)
			}
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// PreProcess reads and checks the file and counts Medusa's operations: a product created or
// updated per handle, a variant created or updated per line.
func (productImport) PreProcess(ctx context.Context, s *Store, tx bun.Tx, j *model.BatchJob) error {
	key, _ := j.Context["fileKey"].(string)
	var pc, pu, vc, vu int
	skus, known := map[string]int{}, map[string]bool{}
	err := s.eachImportProduct(ctx, key, func(p *importProduct) error {
		t, err := s.resolveImportProduct(ctx, tx, p, skus, known)
		if err != nil {
			return err
		}
		if t.productID == "" {
			pc++
		} else {
			pu++
		}
		for _, v := range t.variants {
			if v == "" {
				vc++
			} else {
				vu++
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if j.Result == nil {
		j.Result = map[string]any{}
	}
	j.Result["advancement_count"] = 0
	j.Result["count"] = pc + pu + vc + vu
	j.Result["stat_descriptors"] = []any{map[string]any{
		"key": "product-import-count", "name": "Products/variants to import",
		"message": fmt.Sprintf("There will be %d products created (%d  updated).\n             %d variants will be created and %d updated", pc, pu, vc, vu),
	}}
	return s.SaveBatchJob(ctx, tx, j)
}

func strPtr(s string) *string { return &s }

// nullable is a cell as a nullable column: an empty cell clears it.
func (r *importRow) nullable(field string) (**string, bool) {
	v, ok := r.cells[field]
	if !ok {
		return nil, false
	}
	var p *string
	if v != "" {
		p = strPtr(v)
	}
	return &p, true
}

func (r *importRow) optStr(field string) *string {
	if v := r.cells[field]; v != "" {
		return &v
	}
	return nil
}

func (r *importRow) optInt(field string) *int {
	if v := r.cells[field]; v != "" {
		n, _ := strconv.Atoi(v)
		return &n
	}
	return nil
}

func (r *importRow) nullableInt(field string) (**int, bool) {
	v, ok := r.cells[field]
	if !ok {
		return nil, false
	}
	var p *int
	if v != "" {
		n, _ := strconv.Atoi(v)
		p = &n
	}
	return &p, true
}

func (r *importRow) optBool(field string) *bool {
	switch strings.ToLower(r.cells[field]) {
	case "true":
		b := true
		return &b
	case "false":
		b := false
		return &b
	}
	return nil
}

func (r *importRow) tags() []ProductTagInput {
	tags := []ProductTagInput{}
	if v := r.cells["product.tags"]; v != "" {
		for _, t := range strings.Split(v, ",") {
			tags = append(tags, ProductTagInput{Value: t})
		}
	}
	return tags
}

// importCollection finds the collection of the line's collection columns by handle, else by
// title, and creates it when there is none.
func importCollection(ctx context.Context, tx bun.Tx, r *importRow) (*string, error) {
	title, handle := r.cells["product.collection.title"], r.cells["product.collection.handle"]
	if title == "" && handle == "" {
		return nil, nil
	}
	var id string
	q := tx.NewSelect().Model((*model.ProductCollection)(nil)).Column("id").Limit(1)
	if handle != "" {
		q = q.Where("handle = ?", handle)
	} else {
		q = q.Where("title = ?", title)
	}
	err := q.Scan(ctx, &id)
	if err == nil {
		return &id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("find collection: %w", err)
	}
	if title == "" {
		title = handle
	}
	if handle == "" {
		handle = ProductHandle(title)
	}
	c := &model.ProductCollection{ID: NewID("pcol"), Title: title, Handle: &handle}
	if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
		return nil, formatDBError(err, "insert collection")
	}
	return &c.ID, nil
}

// importPrices are a line's prices as price inputs, for the variant variantID ("": a new one).
//
// Medusa's export writes a region price under its currency's column too (its "Price EUR" is the
// first price in euros, region or not). A currency price equal to a region price in that currency
// on the same line is taken for that echo and skipped, unless the variant has a price in that
// currency outside regions already (then it is that price).
func importPrices(ctx context.Context, tx bun.Tx, r *importRow, regions map[string]string, variantID string) ([]PriceInput, error) {
	out := []PriceInput{}
	echo := map[string]bool{}
	for _, pr := range r.prices {
		if pr.region != "" {
			echo[pr.currency+"/"+strconv.Itoa(pr.amount)] = true
		}
	}
	for _, pr := range r.prices {
		if pr.region == "" && echo[pr.currency+"/"+strconv.Itoa(pr.amount)] {
			var n int64
			if variantID != "" {
				var err error
				n, err = tx.NewSelect().Model((*model.MoneyAmount)(nil)).Where("variant_id = ?", variantID).
					Where("currency_code = ?", pr.currency).Where("region_id IS NULL").Where("price_list_id IS NULL").Count(ctx)
				if err != nil {
					return nil, fmt.Errorf("variant prices: %w", err)
				}
			}
			if n == 0 {
				continue
			}
		}
		in := PriceInput{Amount: pr.amount}
		if pr.region != "" {
			id, err := importRegion(ctx, tx, pr.region, regions)
			if err != nil {
				return nil, err
			}
			in.RegionID = &id
		} else {
			in.CurrencyCode = strPtr(pr.currency)
		}
		out = append(out, in)
	}
	return out, nil
}

// importCaches are what a processing run looks up once: region currencies by id (the product
// write code's cache) and region ids by name.
type importCaches struct {
	currencies, regionIDs map[string]string
	known                 map[string]bool
}

// importOne writes one product of the file in tx: created with its variants, or updated with
// its lines' variants updated or created.
func (s *Store) importOne(ctx context.Context, tx bun.Tx, p *importProduct, c *importCaches) error {
	regions := c.currencies
	t, err := s.resolveImportProduct(ctx, tx, p, map[string]int{}, c.known)
	if err != nil {
		return err
	}
	first := p.first()
	collection, err := importCollection(ctx, tx, first)
	if err != nil {
		return err
	}
	var channels []string
	if s.Config.FeatureSalesChannels && first.hasChannel {
		if channels, err = importChannels(ctx, tx, first); err != nil {
			return err
		}
	}
	if t.productID == "" {
		in := CreateProductInput{
			Title: first.cells["product.title"], Subtitle: first.optStr("product.subtitle"), Description: first.optStr("product.description"),
			Discountable: true, Images: first.images, Thumbnail: first.optStr("product.thumbnail"), Handle: strPtr(p.handle),
			Status: first.optStr("product.status"), CollectionID: collection, Tags: first.tags(), SalesChannels: channels,
			Options: first.optionTitles(), Weight: first.optInt("product.weight"), Length: first.optInt("product.length"),
			Height: first.optInt("product.height"), Width: first.optInt("product.width"), HSCode: first.optStr("product.hs_code"),
			OriginCountry: first.optStr("product.origin_country"), MIDCode: first.optStr("product.mid_code"),
			Material: first.optStr("product.material"), ExternalID: first.optStr("product.external_id"),
		}
		if b := first.optBool("product.discountable"); b != nil {
			in.Discountable = *b
		}
		if v := first.cells["product.type.value"]; v != "" {
			in.Type = &ProductTypeInput{Value: v}
		}
		for _, r := range p.rows {
			v, err := importVariant(ctx, tx, r, c.regionIDs)
			if err != nil {
				return err
			}
			for _, title := range in.Options {
				val, _ := r.optionValue(title)
				v.Options = append(v.Options, VariantOptionInput{Value: val})
			}
			in.Variants = append(in.Variants, v)
		}
		if _, err := s.createProduct(ctx, tx, in); err != nil {
			return rowError(first, "%s", errMessage(err))
		}
		return nil
	}
	in := UpdateProductInput{}
	add := func(f string) { in.Fields = append(in.Fields, f) }
	if v := first.cells["product.title"]; v != "" {
		in.Title = &v
		add("title")
	}
	handle := &p.handle
	in.Handle = &handle // a product found by its id takes the file's handle
	for _, f := range []struct {
		field string
		dst   ***string
	}{
		{"subtitle", &in.Subtitle}, {"description", &in.Description}, {"thumbnail", &in.Thumbnail},
		{"hs_code", &in.HSCode}, {"origin_country", &in.OriginCountry}, {"mid_code", &in.MIDCode}, {"material", &in.Material},
		{"external_id", &in.ExternalID},
	} {
		if v, ok := first.nullable("product." + f.field); ok {
			*f.dst = v
			add(f.field)
		}
	}
	for _, f := range []struct {
		field string
		dst   ***int
	}{{"weight", &in.Weight}, {"length", &in.Length}, {"height", &in.Height}, {"width", &in.Width}} {
		if v, ok := first.nullableInt("product." + f.field); ok {
			*f.dst = v
			add(f.field)
		}
	}
	if v := first.optStr("product.status"); v != nil {
		in.Status = v
		add("status")
	}
	if b := first.optBool("product.discountable"); b != nil {
		in.Discountable = b
		add("discountable")
	}
	if _, ok := first.cells["product.type.value"]; ok {
		var typ *ProductTypeInput
		if v := first.cells["product.type.value"]; v != "" {
			typ = &ProductTypeInput{Value: v}
		}
		in.Type = &typ
		add("type")
	}
	if _, ok := first.cells["product.tags"]; ok {
		in.Tags = first.tags()
		add("tags")
	}
	_, hasTitle := first.cells["product.collection.title"]
	_, hasHandle := first.cells["product.collection.handle"]
	if hasTitle || hasHandle {
		in.CollectionID = &collection
		add("collection_id")
	}
	if first.hasImages {
		in.Images = append([]string{}, first.images...)
		add("images")
	}
	if s.Config.FeatureSalesChannels && first.hasChannel {
		in.SalesChannels = &channels
		add("sales_channels")
	}
	if err := s.updateProduct(ctx, tx, t.productID, in); err != nil {
		return rowError(first, "%s", errMessage(err))
	}
	for i, r := range p.rows {
		var opts []VariantOptionInput
		for _, title := range r.optionTitles() {
			if val, ok := r.optionValue(title); ok {
				opts = append(opts, VariantOptionInput{OptionID: t.options[title], Value: val})
			}
		}
		if t.variants[i] == "" {
			v, err := importVariant(ctx, tx, r, c.regionIDs)
			if err != nil {
				return err
			}
			v.Options = opts
			if err := s.createVariant(ctx, tx, t.productID, v, regions); err != nil {
				return rowError(r, "%s", errMessage(err))
			}
			continue
		}
		u := UpdateVariantInput{Options: opts}
		if v := r.cells["variant.title"]; v != "" {
			u.Title = &v
		}
		if v := r.optInt("variant.inventory_quantity"); v != nil {
			u.InventoryQuantity = v
		}
		u.AllowBackorder = r.optBool("variant.allow_backorder")
		u.ManageInventory = r.optBool("variant.manage_inventory")
		for _, f := range []struct {
			field string
			dst   ***string
		}{
			{"sku", &u.SKU}, {"barcode", &u.Barcode}, {"hs_code", &u.HSCode}, {"origin_country", &u.OriginCountry},
			{"mid_code", &u.MIDCode}, {"material", &u.Material},
		} {
			if v, ok := r.nullable("variant." + f.field); ok {
				*f.dst = v
				u.Fields = append(u.Fields, f.field)
			}
		}
		for _, f := range []struct {
			field string
			dst   ***int
		}{{"weight", &u.Weight}, {"length", &u.Length}, {"height", &u.Height}, {"width", &u.Width}} {
			if v, ok := r.nullableInt("variant." + f.field); ok {
				*f.dst = v
				u.Fields = append(u.Fields, f.field)
			}
		}
		if r.hasPrices {
			if u.Prices, err = importPrices(ctx, tx, r, c.regionIDs, t.variants[i]); err != nil {
				return rowError(r, "%s", errMessage(err))
			}
		}
		if err := s.updateProductVariant(ctx, tx, t.productID, t.variants[i], u, regions); err != nil {
			return rowError(r, "%s", errMessage(err))
		}
	}
	return nil
}

// importVariant is a line's variant to create (options set by the caller).
func importVariant(ctx context.Context, tx bun.Tx, r *importRow, regions map[string]string) (CreateVariantInput, error) {
	v := CreateVariantInput{
		Title: r.cells["variant.title"], SKU: r.optStr("variant.sku"), Barcode: r.optStr("variant.barcode"),
		HSCode: r.optStr("variant.hs_code"), AllowBackorder: r.optBool("variant.allow_backorder"),
		ManageInventory: r.optBool("variant.manage_inventory"), Weight: r.optInt("variant.weight"),
		Length: r.optInt("variant.length"), Height: r.optInt("variant.height"), Width: r.optInt("variant.width"),
		OriginCountry: r.optStr("variant.origin_country"), MIDCode: r.optStr("variant.mid_code"), Material: r.optStr("variant.material"),
	}
	if n := r.optInt("variant.inventory_quantity"); n != nil {
		v.InventoryQuantity = *n
	}
	prices, err := importPrices(ctx, tx, r, regions, "")
	if err != nil {
		return v, rowError(r, "%s", errMessage(err))
	}
	v.Prices = prices
	return v, nil
}

// errMessage is the message of a store error, or the error's text.
func errMessage(err error) string {
	if e, ok := AsError(err); ok {
		return e.Message
	}
	return err.Error()
}

// Process writes the products of the file a batch at a time, each batch one transaction that
// also records advancement_count (operations done). A job that resumes skips the products of
// its committed batches; a canceled one stops before its next batch. Once done, the file is
// deleted (Medusa's finalize).
func (productImport) Process(ctx context.Context, s *Store, j *model.BatchJob) error {
	if s.Files == nil {
		return errNoFileService()
	}
	key, _ := j.Context["fileKey"].(string)
	count, _ := ctxInt(j.Result, "count")
	done, _ := ctxInt(j.Result, "advancement_count")
	if done < count || count == 0 {
		batch := importBatchProducts
		if n, ok := ctxInt(j.Context, "batch_size"); ok && n > 0 {
			batch = n
		}
		caches := &importCaches{currencies: map[string]string{}, regionIDs: map[string]string{}, known: map[string]bool{}}
		// The products within advancement_count are written (by an earlier run): skipped.
		acc := 0
		var chunk []*importProduct
		write := func() error {
			ops := 0
			for _, p := range chunk {
				ops += p.ops()
			}
			err := s.BatchStep(ctx, j.ID, func(ctx context.Context, tx bun.Tx, j *model.BatchJob) error {
				if cur, _ := ctxInt(j.Result, "advancement_count"); cur >= acc+ops {
					return nil // committed by an earlier run
				}
				for _, p := range chunk {
					if err := s.importOne(ctx, tx, p, caches); err != nil {
						return err
					}
				}
				j.Result["advancement_count"] = acc + ops
				return s.SaveBatchJob(ctx, tx, j)
			})
			acc += ops
			chunk = chunk[:0]
			return err
		}
		err := s.eachImportProduct(ctx, key, func(p *importProduct) error {
			if len(chunk) == 0 && acc+p.ops() <= done {
				acc += p.ops()
				return nil
			}
			chunk = append(chunk, p)
			if len(chunk) < batch {
				return nil
			}
			return write()
		})
		if err == nil && len(chunk) > 0 {
			err = write()
		}
		if err != nil {
			return err
		}
	}
	if err := s.Files.Delete(ctx, key); err != nil {
		return fileError(err, key, "delete import file")
	}
	return nil
}
