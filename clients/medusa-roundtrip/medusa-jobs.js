#!/usr/bin/env node
// The reference Medusa 1.3.8 (../../../shared/medusa-ref) with its batch jobs running.
//
// The reference install has no Redis: Medusa 1.3.x then runs its event bus on ioredis-mock, which
// never delivers `batch.created` / `batch.confirmed`, so a job created through the API stays
// `created` forever, and it has no file service plugin, so uploads and job files fail. This
// server loads the installed Medusa exactly as serve.js does (Medusa's own loaders on an express
// app, HOST:PORT) and adds the two missing pieces, nothing else:
//   - a file service on a local directory (FILES_DIR): upload (POST /admin/uploads), the stream
//     descriptors the batch job strategies write and read their files with, download URLs served
//     under /files/<key>, delete;
//   - a poller standing in for Medusa's BatchJobSubscriber: every 300 ms it looks for jobs
//     awaiting pre-processing or processing and does what the subscriber does on `batch.created`
//     (strategy.preProcessBatchJob, then batchJobService.setPreProcessingDone, which confirms a job
//     that is not a dry run) and on `batch.confirmed` (setProcessing, strategy.processJob,
//     complete; setFailed when the strategy throws). The strategies are Medusa's own.
//
//   env: MEDUSA_REF_DIR (/work/ref/medusa-1.3.8), MEDUSA_REF_DATABASE_URL, HOST (127.0.0.1),
//        PORT (9000), FILES_DIR (./medusa-files), MEDUSA_FF_SALES_CHANNELS (as Medusa reads it)
"use strict"
const path = require("path")
const fs = require("fs")
const { PassThrough } = require("stream")

const dir = process.env.MEDUSA_REF_DIR || "/work/ref/medusa-1.3.8"
const filesDir = path.resolve(process.env.FILES_DIR || "medusa-files")
fs.mkdirSync(filesDir, { recursive: true })
process.chdir(dir) // Medusa resolves medusa-config.js and plugins from the working directory
process.env.MEDUSA_DISABLE_TELEMETRY = "true"
process.env.XDG_CONFIG_HOME = path.join(dir, ".config") // telemetry off (see serve.js)

const req = (m) => require(require.resolve(m, { paths: [dir] }))
const express = req("express")
const MEDUSA = path.dirname(require.resolve("@medusajs/medusa/package.json", { paths: [dir] }))
const { asValue } = require(require.resolve("awilix", { paths: [MEDUSA] }))

const host = process.env.HOST || "127.0.0.1"
const port = Number(process.env.PORT || 9000)
const base = `http://${host}:${port}/files`

// Keys may hold "/" (the import strategy's "imports/products/ops/<job>-<op>.json"); they stay
// inside filesDir.
const fileOf = (key) => {
  const p = path.resolve(filesDir, key)
  if (!p.startsWith(filesDir + path.sep)) throw new Error(`bad file key ${key}`)
  return p
}

const fileService = {
  withTransaction() {
    return this
  },
  // multer's file (a temporary path and the browser's name), as Medusa's file plugins take it
  async upload(file) {
    const key = `${Date.now()}-${file.originalname}`
    fs.copyFileSync(file.path, fileOf(key))
    return { url: `${base}/${key}`, key }
  },
  async delete({ fileKey }) {
    fs.rmSync(fileOf(fileKey), { force: true })
  },
  async getUploadStreamDescriptor({ name, ext }) {
    const key = `${name}.${ext}`
    const p = fileOf(key)
    fs.mkdirSync(path.dirname(p), { recursive: true })
    const pass = new PassThrough()
    const file = fs.createWriteStream(p)
    pass.pipe(file)
    const promise = new Promise((resolve, reject) => {
      file.on("finish", resolve)
      file.on("error", reject)
    })
    return { writeStream: pass, promise, url: `${base}/${key}`, fileKey: key }
  },
  async getDownloadStream({ fileKey }) {
    return fs.createReadStream(fileOf(fileKey))
  },
  async getPresignedDownloadUrl({ fileKey }) {
    return `${base}/${fileKey}`
  },
}

async function main() {
  const loaders = require(path.join(MEDUSA, "dist", "loaders")).default
  const app = express()
  app.use("/files", express.static(filesDir))
  const { container } = await loaders({ directory: dir, expressApp: app })
  container.register("fileService", asValue(fileService))

  const manager = container.resolve("manager")
  const jobs = container.resolve("batchJobService")
  const strategies = container.resolve("strategyResolverService")
  const log = (...a) => console.log(new Date().toISOString(), ...a)
  const busy = new Set()
  const run = async (id, phase) => {
    busy.add(id)
    try {
      const job = await jobs.retrieve(id)
      const strategy = strategies.resolveBatchJobByType(job.type)
      if (phase === "pre") {
        log(`batch job ${id} (${job.type}): pre-processing`)
        await strategy.preProcessBatchJob(id)
        await jobs.setPreProcessingDone(id)
      } else {
        log(`batch job ${id} (${job.type}): processing`)
        await jobs.setProcessing(id)
        await strategy.processJob(id)
        await jobs.complete(id)
      }
      log(`batch job ${id}: ${phase === "pre" ? "pre-processed" : "completed"}`)
    } catch (e) {
      log(`batch job ${id} failed: ${e && e.stack ? e.stack : e}`)
      await jobs.setFailed(id).catch(() => {})
    } finally {
      busy.delete(id)
    }
  }
  const tick = async () => {
    const rows = await manager.query(
      `SELECT id, (confirmed_at IS NOT NULL) AS confirmed FROM batch_job
        WHERE deleted_at IS NULL AND canceled_at IS NULL AND failed_at IS NULL AND completed_at IS NULL
          AND processing_at IS NULL AND (pre_processed_at IS NULL OR confirmed_at IS NOT NULL)
        ORDER BY created_at`
    )
    for (const r of rows) if (!busy.has(r.id)) await run(r.id, r.confirmed ? "process" : "pre")
  }
  const loop = () =>
    tick()
      .catch((e) => log("poller:", e))
      .finally(() => setTimeout(loop, 300))
  loop()

  const server = app.listen(port, host, () => {
    log(`Medusa 1.3.8 with batch jobs on http://${host}:${port} (pid ${process.pid}), files in ${filesDir}`)
  })
  const stop = () => {
    server.close(() => process.exit(0))
    setTimeout(() => process.exit(0), 3000).unref()
  }
  process.on("SIGTERM", stop)
  process.on("SIGINT", stop)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
