package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// productExport is Medusa 1.3.8's product-export strategy: a ";"-separated file, "\r\n" line
// ends, values written as they are (Medusa neither quotes nor escapes them), one line per
// variant, with the product's columns repeated on each.
type productExport struct{}

func init() { RegisterBatchJobType("product-export", productExport{}) }

const (
	exportDelimiter = ";"
	exportNewline   = "\r\n"
	exportPageSize  = 50 // Medusa's DEFAULT_LIMIT
)

// exportCell is a value as the export files write it: as it is, like Medusa, unless it holds the
// delimiter, a quote or a line break. Medusa writes those unquoted too, and its file then has
// lines with more values than columns, which neither Medusa's import (papaparse) nor Gorgon's can
// read back; quoted as CSV quotes (the value in double quotes, its quotes doubled), both read it.
func exportCell(v string) string {
	if !strings.ContainsAny(v, exportDelimiter+"\"\r\n") {
		return v
	}
	return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
}

// exportCells joins the values of several columns, each as exportCell writes it.
func exportCells(v ...string) string {
	for i := range v {
		v[i] = exportCell(v[i])
	}
	return strings.Join(v, exportDelimiter)
}

// ctxInt reads a number of a job context (JSON numbers are float64).
func ctxInt(m map[string]any, key string) (int, bool) {
	switch v := m[key].(type) {
	case float64:
		return int(v), true
	case int:
		return v, true
	case string:
		if n, err := strconv.Atoi(v); err == nil {
			return n, true
		}
	}
	return 0, false
}

// Prepare is Medusa's prepareBatchJobForProcessing: limit, offset, order, fields and expand of
// the context become its list_config (prepareListQuery with the admin product relations and
// variants.prices.region); filterable_fields stays; anything else is kept.
func (productExport) Prepare(_ context.Context, s *Store, c map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for k, v := range c {
		switch k {
		case "limit", "offset", "order", "fields", "expand", "filterable_fields":
		default:
			out[k] = v
		}
	}
	rels := append(s.DefaultProductRelations(), "variants.prices.region")
	if s.Config.FeatureSalesChannels {
		rels = append(rels, "sales_channels") // Medusa's strategy adds it a second time
	}
	relsAny := make([]any, len(rels))
	for i, r := range rels {
		relsAny[i] = r
	}
	lc := map[string]any{"relations": relsAny, "skip": 0, "take": exportPageSize, "order": map[string]any{"created_at": "DESC"}}
	if e, ok := c["expand"].(string); ok && e != "" {
		parts := strings.Split(e, ",")
		ex := make([]any, len(parts))
		for i, p := range parts {
			ex[i] = p
		}
		lc["relations"] = ex
	}
	if f, ok := c["fields"].(string); ok && f != "" {
		seen := map[string]bool{}
		var sel []any
		for _, p := range append(strings.Split(f, ","), "created_at", "id") {
			if !seen[p] {
				seen[p] = true
				sel = append(sel, p)
			}
		}
		lc["select"] = sel
	}
	return finishListConfig(out, lc, c), nil
}

// exportList is a job's list_config and filterable_fields as a product listing.
type exportList struct {
	filter    ProductFilter
	rels      []string
	order     string
	skip      int
	take      int
	batchSize int // context.batch_size, 0 when unset
}

func (s *Store) exportListOf(j *model.BatchJob) (exportList, error) {
	var l exportList
	lc, _ := j.Context["list_config"].(map[string]any)
	l.skip, _ = ctxInt(lc, "skip")
	l.take = exportPageSize
	if n, ok := ctxInt(lc, "take"); ok && n > 0 {
		l.take = n
	}
	l.batchSize, _ = ctxInt(j.Context, "batch_size")
	seen := map[string]bool{}
	rels, _ := lc["relations"].([]any)
	for _, r := range rels {
		if r, ok := r.(string); ok && !seen[r] {
			seen[r] = true
			l.rels = append(l.rels, r)
		}
	}
	if o, ok := lc["order"].(map[string]any); ok {
		for k, v := range o {
			if v == "DESC" {
				l.order = "-" + k
			} else {
				l.order = k
			}
		}
	}
	if l.order == "-created_at" {
		l.order = "" // ListProducts' default, with its tie-break on id
	}
	ff, _ := j.Context["filterable_fields"].(map[string]any)
	f, err := productFilterOf(ff)
	if err != nil {
		return l, err
	}
	l.filter = f
	return l, nil
}

// productFilterOf reads Medusa's filterable product fields of an export's context.
func productFilterOf(m map[string]any) (ProductFilter, error) {
	var f ProductFilter
	strs := func(v any) []string {
		switch v := v.(type) {
		case string:
			return []string{v}
		case []any:
			var out []string
			for _, e := range v {
				if s, ok := e.(string); ok {
					out = append(out, s)
				}
			}
			return out
		}
		return nil
	}
	str := func(v any) *string {
		if s, ok := v.(string); ok {
			return &s
		}
		return nil
	}
	for k, v := range m {
		switch k {
		case "q":
			f.Q = str(v)
		case "id":
			f.IDs = strs(v)
		case "status":
			f.Status = strs(v)
		case "collection_id":
			f.CollectionIDs = strs(v)
		case "tags":
			f.Tags = strs(v)
		case "price_list_id":
			f.PriceListIDs = strs(v)
		case "sales_channel_id":
			f.SalesChannelIDs = strs(v)
		case "title":
			f.Title = str(v)
		case "description":
			f.Description = str(v)
		case "handle":
			f.Handle = str(v)
		case "type_id":
			f.Type = str(v)
		case "is_giftcard":
			if b, ok := v.(bool); ok {
				f.IsGiftcard = &b
			}
		default:
			return f, Invalidf("filterable_fields: %s is not a product filter", k)
		}
	}
	return f, nil
}

// page lists the products of one page of the export.
func (s *Store) exportPage(ctx context.Context, l exportList, offset, take int) ([]*model.Product, int, error) {
	return s.ListProducts(ctx, l.filter, Page{Offset: offset, Limit: take, Order: l.order, Find: Find{Expand: l.rels}})
}

// exportShape is context.shape: the dynamic columns of the file.
type exportShape struct {
	images, options, salesChannels int
	prices                         []map[string]any // {currency_code, region: null | {currency_code, name, id}}
	seen                           map[string]bool
}

func (sh *exportShape) add(s *Store, products []*model.Product) {
	for _, p := range products {
		sh.options = max(sh.options, len(p.Options))
		sh.images = max(sh.images, len(p.Images))
		if s.Config.FeatureSalesChannels {
			sh.salesChannels = max(sh.salesChannels, len(p.SalesChannels))
		}
		for _, v := range p.Variants {
			for _, pr := range v.Prices {
				var region any
				if pr.Region != nil {
					region = map[string]any{"currency_code": pr.Region.CurrencyCode, "name": pr.Region.Name, "id": pr.Region.ID}
				}
				key := pr.CurrencyCode + "\x00"
				if pr.Region != nil {
					key += pr.Region.CurrencyCode + "\x00" + pr.Region.Name + "\x00" + pr.Region.ID
				}
				if !sh.seen[key] {
					sh.seen[key] = true
					sh.prices = append(sh.prices, map[string]any{"currency_code": pr.CurrencyCode, "region": region})
				}
			}
		}
	}
}

// PreProcess reads every product of the export, a page at a time, for the shape of the file
// (option, image and sales channel column counts, the currencies and regions of prices), and
// says how many products it will export.
func (productExport) PreProcess(ctx context.Context, s *Store, tx bun.Tx, j *model.BatchJob) error {
	l, err := s.exportListOf(j)
	if err != nil {
		return err
	}
	take := l.take
	if l.batchSize > 0 {
		take = min(l.batchSize, take)
	}
	products, count, err := s.exportPage(ctx, l, l.skip, take)
	if err != nil {
		return err
	}
	total := count
	if l.batchSize > 0 {
		total = l.batchSize
	}
	sh := &exportShape{seen: map[string]bool{}}
	for offset := l.skip; offset < total; {
		if len(products) == 0 {
			if products, _, err = s.exportPage(ctx, l, offset, min(total-offset, l.take)); err != nil {
				return err
			}
			if len(products) == 0 {
				break
			}
		}
		sh.add(s, products)
		offset += len(products)
		products = nil
	}
	prices := make([]any, len(sh.prices))
	for i, p := range sh.prices {
		prices[i] = p
	}
	j.Context["shape"] = map[string]any{
		"dynamicImageColumnCount":         sh.images,
		"dynamicOptionColumnCount":        sh.options,
		"dynamicSalesChannelsColumnCount": sh.salesChannels,
		"prices":                          prices,
	}
	if j.Result == nil {
		j.Result = map[string]any{}
	}
	j.Result["stat_descriptors"] = []any{map[string]any{
		"key": "product-export-count", "name": "Product count to export",
		"message": fmt.Sprintf("There will be %d products exported by this action", total),
	}}
	return s.SaveBatchJob(ctx, tx, j)
}

// exportColumn is one column: its header and its value for a product's variant.
type exportColumn struct {
	name  string
	value func(p *model.Product, v *model.ProductVariant) string
}

func strOrEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func intStr(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// exportColumns are the file's columns for the job's shape, in Medusa's order: the fixed
// product and variant columns, then one or two price columns per price kind (currency; region
// with its currency), then options, images and sales channels.
func exportColumns(shape map[string]any) []exportColumn {
	cols := []exportColumn{
		{"Product ID", func(p *model.Product, _ *model.ProductVariant) string { return p.ID }},
		{"Product Handle", func(p *model.Product, _ *model.ProductVariant) string { return strOrEmpty(p.Handle) }},
		{"Product Title", func(p *model.Product, _ *model.ProductVariant) string { return p.Title }},
		{"Product Subtitle", func(p *model.Product, _ *model.ProductVariant) string { return strOrEmpty(p.Subtitle) }},
		{"Product Description", func(p *model.Product, _ *model.ProductVariant) string { return strOrEmpty(p.Description) }},
		{"Product Status", func(p *model.Product, _ *model.ProductVariant) string { return p.Status }},
		{"Product Thumbnail", func(p *model.Product, _ *model.ProductVariant) string { return strOrEmpty(p.Thumbnail) }},
		{"Product Weight", func(p *model.Product, _ *model.ProductVariant) string { return intStr(p.Weight) }},
		{"Product Length", func(p *model.Product, _ *model.ProductVariant) string { return intStr(p.Length) }},
		{"Product Width", func(p *model.Product, _ *model.ProductVariant) string { return intStr(p.Width) }},
		{"Product Height", func(p *model.Product, _ *model.ProductVariant) string { return intStr(p.Height) }},
		{"Product HS Code", func(p *model.Product, _ *model.ProductVariant) string { return strOrEmpty(p.HSCode) }},
		{"Product Origin Country", func(p *model.Product, _ *model.ProductVariant) string { return strOrEmpty(p.OriginCountry) }},
		{"Product MID Code", func(p *model.Product, _ *model.ProductVariant) string { return strOrEmpty(p.MIDCode) }},
		{"Product Material", func(p *model.Product, _ *model.ProductVariant) string { return strOrEmpty(p.Material) }},
		{"Product Collection Title", func(p *model.Product, _ *model.ProductVariant) string {
			if p.Collection == nil {
				return ""
			}
			return p.Collection.Title
		}},
		{"Product Collection Handle", func(p *model.Product, _ *model.ProductVariant) string {
			if p.Collection == nil {
				return ""
			}
			return strOrEmpty(p.Collection.Handle)
		}},
		{"Product Type", func(p *model.Product, _ *model.ProductVariant) string {
			if p.Type == nil {
				return ""
			}
			return p.Type.Value
		}},
		{"Product Tags", func(p *model.Product, _ *model.ProductVariant) string {
			vals := make([]string, len(p.Tags))
			for i, t := range p.Tags {
				vals[i] = t.Value
			}
			return strings.Join(vals, ",")
		}},
		{"Product Discountable", func(p *model.Product, _ *model.ProductVariant) string { return strconv.FormatBool(p.Discountable) }},
		{"Product External ID", func(p *model.Product, _ *model.ProductVariant) string { return strOrEmpty(p.ExternalID) }},
		// Medusa's export does not load the profile: these two are always empty.
		{"Product Profile Name", func(*model.Product, *model.ProductVariant) string { return "" }},
		{"Product Profile Type", func(*model.Product, *model.ProductVariant) string { return "" }},
		{"Variant ID", func(_ *model.Product, v *model.ProductVariant) string { return v.ID }},
		{"Variant Title", func(_ *model.Product, v *model.ProductVariant) string { return v.Title }},
		{"Variant SKU", func(_ *model.Product, v *model.ProductVariant) string { return strOrEmpty(v.SKU) }},
		{"Variant Barcode", func(_ *model.Product, v *model.ProductVariant) string { return strOrEmpty(v.Barcode) }},
		{"Variant Inventory Quantity", func(_ *model.Product, v *model.ProductVariant) string { return strconv.Itoa(v.InventoryQuantity) }},
		{"Variant Allow backorder", func(_ *model.Product, v *model.ProductVariant) string { return strconv.FormatBool(v.AllowBackorder) }},
		{"Variant Manage inventory", func(_ *model.Product, v *model.ProductVariant) string { return strconv.FormatBool(v.ManageInventory) }},
		{"Variant Weight", func(_ *model.Product, v *model.ProductVariant) string { return intStr(v.Weight) }},
		{"Variant Length", func(_ *model.Product, v *model.ProductVariant) string { return intStr(v.Length) }},
		{"Variant Width", func(_ *model.Product, v *model.ProductVariant) string { return intStr(v.Width) }},
		{"Variant Height", func(_ *model.Product, v *model.ProductVariant) string { return intStr(v.Height) }},
		{"Variant HS Code", func(_ *model.Product, v *model.ProductVariant) string { return strOrEmpty(v.HSCode) }},
		{"Variant Origin Country", func(_ *model.Product, v *model.ProductVariant) string { return strOrEmpty(v.OriginCountry) }},
		{"Variant MID Code", func(_ *model.Product, v *model.ProductVariant) string { return strOrEmpty(v.MIDCode) }},
		{"Variant Material", func(_ *model.Product, v *model.ProductVariant) string { return strOrEmpty(v.Material) }},
	}
	index := map[string]int{}
	for i, c := range cols {
		index[c.name] = i
	}
	// set adds a column, or replaces the accessor of one of that name in its place (a JS Map).
	set := func(c exportColumn) {
		if i, ok := index[c.name]; ok {
			cols[i] = c
			return
		}
		index[c.name] = len(cols)
		cols = append(cols, c)
	}
	prices, _ := shape["prices"].([]any)
	for _, pd := range prices {
		pd, _ := pd.(map[string]any)
		if cur, _ := pd["currency_code"].(string); cur != "" {
			set(exportColumn{"Price " + strings.ToUpper(cur), func(_ *model.Product, v *model.ProductVariant) string {
				for _, pr := range v.Prices {
					if pr.CurrencyCode != "" && strings.EqualFold(pr.CurrencyCode, cur) {
						return strconv.Itoa(pr.Amount)
					}
				}
				return ""
			}})
		}
		if reg, ok := pd["region"].(map[string]any); ok {
			name, _ := reg["name"].(string)
			id, _ := reg["id"].(string)
			cur, _ := reg["currency_code"].(string)
			header := "Price " + name + " "
			if cur != "" {
				header += "[" + strings.ToUpper(cur) + "]"
			}
			set(exportColumn{header, func(_ *model.Product, v *model.ProductVariant) string {
				for _, pr := range v.Prices {
					if pr.Region != nil && strings.EqualFold(pr.Region.Name, name) && strings.EqualFold(pr.Region.ID, id) {
						return strconv.Itoa(pr.Amount)
					}
				}
				return ""
			}})
		}
	}
	n, _ := ctxInt(shape, "dynamicOptionColumnCount")
	for i := 0; i < n; i++ {
		set(exportColumn{fmt.Sprintf("Option %d Name", i+1), func(p *model.Product, _ *model.ProductVariant) string {
			if i < len(p.Options) {
				return p.Options[i].Title
			}
			return ""
		}})
		set(exportColumn{fmt.Sprintf("Option %d Value", i+1), func(_ *model.Product, v *model.ProductVariant) string {
			if i < len(v.Options) {
				return v.Options[i].Value
			}
			return ""
		}})
	}
	n, _ = ctxInt(shape, "dynamicImageColumnCount")
	for i := 0; i < n; i++ {
		set(exportColumn{fmt.Sprintf("Image %d Url", i+1), func(p *model.Product, _ *model.ProductVariant) string {
			if i < len(p.Images) {
				return p.Images[i].URL
			}
			return ""
		}})
	}
	n, _ = ctxInt(shape, "dynamicSalesChannelsColumnCount")
	for i := 0; i < n; i++ {
		set(exportColumn{fmt.Sprintf("Sales channel %d Name", i+1), func(p *model.Product, _ *model.ProductVariant) string {
			if i < len(p.SalesChannels) {
				return p.SalesChannels[i].Name
			}
			return ""
		}})
		set(exportColumn{fmt.Sprintf("Sales channel %d Description", i+1), func(p *model.Product, _ *model.ProductVariant) string {
			if i < len(p.SalesChannels) {
				return strOrEmpty(p.SalesChannels[i].Description)
			}
			return ""
		}})
	}
	return cols
}

// Process writes the file a page of products at a time through the file store (so memory does
// not grow with the catalog), recording file_key at once, then file_size, count,
// advancement_count and progress after each page. An interrupted export starts again from
// its first product in a new file (the unfinished one was never committed); a canceled one
// drops its file.
func (productExport) Process(ctx context.Context, s *Store, j *model.BatchJob) error {
	if s.Files == nil {
		return errNoFileService()
	}
	l, err := s.exportListOf(j)
	if err != nil {
		return err
	}
	shape, _ := j.Context["shape"].(map[string]any)
	cols := exportColumns(shape)
	key, w, err := s.Files.Create(ctx, fmt.Sprintf("exports/products/product-export-%d.csv", time.Now().UnixMilli()), "text/csv")
	if err != nil {
		return fileError(err, "product export", "create export file")
	}
	committed := false
	defer func() {
		if !committed {
			w.Abort() //nolint:errcheck
		}
	}()
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	header := strings.Join(names, exportDelimiter) + exportNewline
	if _, err := w.Write([]byte(header)); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	size := len(header)
	err = s.BatchStep(ctx, j.ID, func(ctx context.Context, tx bun.Tx, j *model.BatchJob) error {
		if j.Result == nil {
			j.Result = map[string]any{}
		}
		j.Result["file_key"] = key
		j.Result["file_size"] = size
		delete(j.Result, "advancement_count")
		return s.SaveBatchJob(ctx, tx, j)
	})
	if err != nil {
		return s.exportStopped(ctx, j.ID, key, err)
	}
	take := l.take
	if l.batchSize > 0 {
		take = min(l.batchSize, take)
	}
	offset := l.skip
	products, count, err := s.exportPage(ctx, l, offset, take)
	if err != nil {
		return err
	}
	total := count
	if l.batchSize > 0 {
		total = l.batchSize
	}
	done := 0
	var line []string
	for offset < total {
		if len(products) == 0 {
			if products, _, err = s.exportPage(ctx, l, offset, min(total-offset, l.take)); err != nil {
				return err
			}
			if len(products) == 0 {
				break
			}
		}
		var buf strings.Builder
		for _, p := range products {
			for _, v := range p.Variants {
				line = line[:0]
				for _, c := range cols {
					line = append(line, exportCell(c.value(p, v)))
				}
				buf.WriteString(strings.Join(line, exportDelimiter))
				buf.WriteString(exportNewline)
			}
		}
		if _, err := w.Write([]byte(buf.String())); err != nil {
			return fmt.Errorf("write export: %w", err)
		}
		size += buf.Len()
		done += len(products)
		offset += len(products)
		products = nil
		err = s.BatchStep(ctx, j.ID, func(ctx context.Context, tx bun.Tx, j *model.BatchJob) error {
			j.Result["file_size"] = size
			j.Result["count"] = total
			j.Result["advancement_count"] = done
			j.Result["progress"] = float64(done) / float64(total)
			return s.SaveBatchJob(ctx, tx, j)
		})
		if err != nil {
			return s.exportStopped(ctx, j.ID, key, err)
		}
	}
	if err := w.Commit(); err != nil {
		return fileError(err, key, "store export file")
	}
	committed = true
	return nil
}

// exportStopped ends an export whose step found it canceled: the file is dropped and file_key
// and file_size leave the result (Medusa's onProcessCanceled).
func (s *Store) exportStopped(ctx context.Context, id, key string, err error) error {
	if !errors.Is(err, ErrBatchCanceled) {
		return err
	}
	if derr := s.Files.Delete(ctx, key); derr != nil {
		return fileError(derr, key, "delete export file")
	}
	ierr := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		j, err := getBatchJob(ctx, tx, id, true)
		if err != nil {
			return err
		}
		delete(j.Result, "file_key")
		delete(j.Result, "file_size")
		return s.SaveBatchJob(ctx, tx, j)
	})
	if ierr != nil {
		return ierr
	}
	return ErrBatchCanceled
}

// finishListConfig completes an export's context as Medusa's prepareListQuery does for both
// export strategies: limit, offset and order of the context into list_config (take, skip, order
// {field: ASC|DESC}), and filterable_fields kept as given.
func finishListConfig(out, lc, c map[string]any) map[string]any {
	if n, ok := ctxInt(c, "limit"); ok {
		lc["take"] = n
	}
	if n, ok := ctxInt(c, "offset"); ok {
		lc["skip"] = n
	}
	if o, ok := c["order"].(string); ok && o != "" {
		if strings.HasPrefix(o, "-") {
			lc["order"] = map[string]any{strings.Split(o, "-")[1]: "DESC"}
		} else {
			lc["order"] = map[string]any{o: "ASC"}
		}
	}
	out["list_config"] = lc
	if ff, ok := c["filterable_fields"]; ok && ff != nil {
		out["filterable_fields"] = ff
	}
	return out
}
