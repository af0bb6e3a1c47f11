"use strict"
const path = require("path"), fs = require("fs")
const dir = "/work/ref/medusa-1.3.8"
process.chdir(dir)
process.env.MEDUSA_DISABLE_TELEMETRY = "true"
process.env.XDG_CONFIG_HOME = path.join(dir, ".config")
const express = require(require.resolve("express", { paths: [dir] }))
const MEDUSA = path.dirname(require.resolve("@medusajs/medusa/package.json", { paths: [dir] }))
const { asValue } = require(require.resolve("awilix", { paths: [MEDUSA] }))
const { PassThrough } = require("stream")
const out = process.argv[2]
;(async () => {
  const loaders = require(path.join(MEDUSA, "dist", "loaders")).default
  const app = express()
  const { container } = await loaders({ directory: dir, expressApp: app })
  container.register("fileService", asValue({
    withTransaction() { return this },
    async getUploadStreamDescriptor({ name, ext }) {
      const pass = new PassThrough()
      const file = fs.createWriteStream(out)
      pass.pipe(file)
      return { writeStream: pass, promise: new Promise((r) => file.on("finish", r)), fileKey: name + "." + ext, url: "x" }
    },
    async delete() {},
  }))
  const strategy = container.resolve("batchType_product-export")
  const bjs = container.resolve("batchJobService")
  const users = await container.resolve("userService").list({})
  const ctx = JSON.parse(process.argv[3] || "{}")
  const prepared = await strategy.prepareBatchJobForProcessing({ type: "product-export", context: ctx, dry_run: true }, {})
  const job = await bjs.create({ ...prepared, created_by: users[0].id })
  await strategy.preProcessBatchJob(job.id)
  await strategy.processJob(job.id)
  const done = await bjs.retrieve(job.id)
  fs.writeFileSync(out + ".json", JSON.stringify(done, null, 1))
  console.log("done", job.id)
  process.exit(0)
})().catch((e) => { console.error(e); process.exit(1) })
