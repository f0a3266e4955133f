// A fake of the Cloud Run Admin API v2 (REST, JSON, google.rpc.Status errors) on a free loopback port:
// services GET/PATCH (a template change creates a revision; long-running operations), revisions
// GET/LIST (paged), operations GET. As strict as the real API where clients have been caught out: the
// body's etag is ignored, a template naming an existing revision must match it even outside the
// update mask, and a tag and the service name together fit in 46 characters. A new revision becomes ready after `readyDelayMs`, or
// fails with Cloud Run's reason when its image was marked with neverReady(). Knobs: failNext (429/503),
// revoke (401 UNAUTHENTICATED), accept (tokens from the token endpoint fake), and a concurrent writer
// (changeBehindYourBack).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

/** Top-level Service fields a PATCH may write (the output-only ones are ignored, as Cloud Run does). */
const WRITABLE_FIELDS = [
  'description',
  'labels',
  'annotations',
  'client',
  'clientVersion',
  'ingress',
  'launchStage',
  'binaryAuthorization',
  'template',
  'traffic',
  'scaling',
  'invokerIamDisabled',
  'defaultUriDisabled',
  'customAudiences',
];

/**
 * @param {{ token?: string, readyDelayMs?: number }} [options]
 */
export async function startFakeCloudRun({ token = 'ya29.fake-cloud-run-token-5521', readyDelayMs = 300 } = {}) {
  /** @type {Map<string, any>} */
  const services = new Map();
  /** @type {Map<string, any>} */
  const revisions = new Map();
  /** @type {Map<string, any>} */
  const operations = new Map();
  /** @type {Map<string, { reason: string, message: string }>} */
  const failingImages = new Map();
  const validTokens = new Set([token]);
  /** @type {Array<{ status: number, left: number }>} */
  const faults = [];
  /** @type {Array<{ method: string, path: string, status: number, query: string, fields: string[] }>} */
  const calls = [];
  let revisionCounter = 1;
  let etagCounter = 1;
  let conflicts = 0;
  let beforePatch = /** @type {undefined | ((name: string) => void)} */ (undefined);

  const error = (res, code, status, message) => send(res, code, { error: { code, status, message } });
  const send = (res, code, body) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const now = () => new Date().toISOString();
  const etag = () => `"${etagCounter++}"`;

  function createRevision(service, template) {
    const short =
      template.revision ||
      `${service.name.split('/').pop()}-${String(revisionCounter).padStart(5, '0')}-${randomUUID().slice(0, 3)}`;
    revisionCounter++;
    const name = `${service.name}/revisions/${short}`;
    const failing = failingImages.get(
      template.containers?.find((c) => c.ports?.length)?.image ?? template.containers?.[0]?.image,
    );
    const configuration = withDefaults(template);
    const revision = {
      name,
      uid: randomUUID(),
      createTime: now(),
      containers: structuredClone(configuration.containers),
      configuration,
      conditions: [{ type: 'Ready', state: 'CONDITION_PENDING', reason: 'Deploying', message: 'Deploying revision.' }],
      failing,
    };
    revisions.set(name, revision);
    service.latestCreatedRevision = name;
    return revision;
  }

  /** Applies traffic to the service as Cloud Run does once the rollout is done. */
  function applyTraffic(service, traffic) {
    service.traffic = structuredClone(traffic);
    service.trafficStatuses = traffic.map((t) => ({
      ...t,
      ...(t.tag ? { uri: `https://${t.tag}---${service.name.split('/').pop()}-fake.a.run.app` } : {}),
    }));
    service.etag = etag();
    service.updateTime = now();
  }

  function operation(service, work, delayMs) {
    const name = `${service.name.replace(/\/services\/.*/, '')}/operations/${randomUUID()}`;
    const op = {
      name,
      done: false,
      metadata: { '@type': 'type.googleapis.com/google.cloud.run.v2.Service', name: service.name },
    };
    operations.set(name, op);
    setTimeout(() => {
      const outcome = work();
      op.done = true;
      if (outcome?.error) op.error = outcome.error;
      else op.response = { '@type': 'type.googleapis.com/google.cloud.run.v2.Service', ...structuredClone(service) };
    }, delayMs).unref();
    return op;
  }

  /**
   * PATCH with an updateMask writes only the fields it names (top-level fields of the Service; a named
   * field missing from the body is cleared); without one, every writable field comes from the body.
   * The body's etag is not checked: Service.etag is "Output only" in the v2 reference, and output-only
   * fields in a request are ignored (AIP-203), so a stale etag does not make the write fail.
   */
  function patchService(res, service, body, updateMask) {
    // A revision is immutable: a template that names an existing revision must be that revision's
    // configuration as recorded (defaults included), and this is checked on the body even when the
    // update mask leaves the template out (googleapis/google-cloud-python#14259: mask
    // scaling.minInstanceCount with the service read back → 409 "Revision named … with different
    // configuration already exists"; pipe-cd/pipecd#2480, terraform-provider-google#13410).
    const named = body.template?.revision && revisions.get(`${service.name}/revisions/${body.template.revision}`);
    if (named && !sameConfiguration(body.template, named.configuration))
      return error(
        res,
        409,
        'ALREADY_EXISTS',
        `Revision named '${body.template.revision}' with different configuration already exists.`,
      );
    // The tag is part of the tag URL's DNS label with the service name (the message the API gives,
    // e.g. firebase/firebase-tools#6137).
    const serviceId = service.name.split('/').pop();
    const longTag = (body.traffic ?? []).find((t) => t.tag && t.tag.length + serviceId.length > 46);
    if (longTag)
      return error(
        res,
        400,
        'INVALID_ARGUMENT',
        `traffic.tag: traffic tag '${longTag.tag}' and service name '${serviceId}' together are too long. Combined traffic tag and service name cannot exceed 46 characters.`,
      );
    const fields = updateMask
      ? updateMask
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean)
      : WRITABLE_FIELDS;
    const unknown = fields.filter((f) => !WRITABLE_FIELDS.includes(f));
    if (unknown.length)
      return error(
        res,
        400,
        'INVALID_ARGUMENT',
        `Invalid field mask: ${unknown.join(', ')} is not a field of Service that can be updated.`,
      );
    if (fields.includes('template') && !body.template?.containers?.length)
      return error(res, 400, 'INVALID_ARGUMENT', 'template.containers: at least one container is required.');
    const others = fields.filter((f) => f !== 'template' && f !== 'traffic').map((f) => [f, body[f]]);
    body = {
      template: fields.includes('template') ? body.template : service.template,
      traffic: fields.includes('traffic') ? (body.traffic ?? []) : service.traffic,
    };
    const traffic = body.traffic;
    const total = traffic.reduce((n, t) => n + (t.percent ?? 0), 0);
    if (total !== 100)
      return error(res, 400, 'INVALID_ARGUMENT', `Traffic percentages must add up to 100, not ${total}.`);
    const templateChanged =
      JSON.stringify(body.template?.containers) !== JSON.stringify(service.template.containers) ||
      (body.template?.revision && !revisions.has(`${service.name}/revisions/${body.template.revision}`));
    const pending = templateChanged ? body.template.revision : undefined;
    for (const t of traffic) {
      if (
        t.type === 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION' &&
        !revisions.has(`${service.name}/revisions/${t.revision}`) &&
        t.revision !== pending
      ) {
        return error(res, 400, 'INVALID_ARGUMENT', `Revision '${t.revision}' referenced in traffic not found.`);
      }
    }
    for (const [field, value] of others) {
      if (value === undefined) delete service[field];
      else service[field] = structuredClone(value);
    }
    if (!templateChanged) {
      return send(
        res,
        200,
        operation(service, () => applyTraffic(service, traffic), 50),
      );
    }
    service.template = structuredClone(body.template);
    service.generation = String(Number(service.generation ?? '1') + 1);
    const revision = createRevision(service, service.template);
    service.etag = etag();
    const failedCondition = () => [
      {
        type: 'Ready',
        state: 'CONDITION_FAILED',
        revisionReason: revision.failing.reason,
        reason: revision.failing.reason,
        message: revision.failing.message,
      },
    ];
    // Cloud Run marks the revision failed first; its operation may only finish much later.
    if (revision.failing?.operationDelayMs)
      setTimeout(() => {
        revision.conditions = failedCondition();
      }, readyDelayMs).unref();
    return send(
      res,
      200,
      operation(
        service,
        () => {
          if (revision.failing) {
            revision.conditions = failedCondition();
            service.terminalCondition = {
              type: 'Ready',
              state: 'CONDITION_FAILED',
              message: `Revision '${revision.name.split('/').pop()}' is not ready and cannot serve traffic. ${revision.failing.message}`,
            };
            return { error: { code: 9, message: service.terminalCondition.message } };
          }
          revision.conditions = [{ type: 'Ready', state: 'CONDITION_SUCCEEDED', lastTransitionTime: now() }];
          service.latestReadyRevision = revision.name;
          applyTraffic(service, traffic);
          return undefined;
        },
        revision.failing?.operationDelayMs ?? readyDelayMs,
      ),
    );
  }

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const path = url.pathname.replace(/^\/v2\//, '');
      const fields = (() => {
        try {
          return raw ? Object.keys(JSON.parse(raw)) : [];
        } catch {
          return [];
        }
      })();
      const record = (status) => calls.push({ method: req.method ?? 'GET', path, status, query: url.search, fields });
      const originalWriteHead = res.writeHead.bind(res);
      res.writeHead = (status, ...rest) => {
        record(status);
        return originalWriteHead(status, ...rest);
      };
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!auth || !validTokens.has(auth))
        return error(
          res,
          401,
          'UNAUTHENTICATED',
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        );
      const fault = faults.find((f) => f.left > 0);
      if (fault) {
        fault.left--;
        return fault.status === 429
          ? error(
              res,
              429,
              'RESOURCE_EXHAUSTED',
              "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per region'.",
            )
          : error(res, fault.status, 'UNAVAILABLE', 'The service is currently unavailable.');
      }
      let body;
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return error(res, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
      }

      if (/\/operations\/[^/]+$/.test(path) && req.method === 'GET') {
        const op = operations.get(path);
        return op ? send(res, 200, op) : error(res, 404, 'NOT_FOUND', `Operation ${path} not found.`);
      }
      const revisionPath = /^(projects\/[^/]+\/locations\/[^/]+\/services\/[^/]+)\/revisions(?:\/([^/]+))?$/.exec(path);
      if (revisionPath && req.method === 'GET') {
        if (!services.has(revisionPath[1]))
          return error(res, 404, 'NOT_FOUND', `Resource '${revisionPath[1]}' was not found`);
        if (revisionPath[2]) {
          const revision = revisions.get(path);
          return revision
            ? send(res, 200, publicRevision(revision))
            : error(res, 404, 'NOT_FOUND', `Resource '${path}' was not found`);
        }
        const all = [...revisions.values()]
          .filter((r) => r.name.startsWith(`${revisionPath[1]}/`))
          .sort((a, b) => b.createTime.localeCompare(a.createTime));
        const size = Number(url.searchParams.get('pageSize') ?? 100);
        const start = Number(url.searchParams.get('pageToken') || 0);
        const page = all.slice(start, start + Math.min(size, 2));
        return send(res, 200, {
          revisions: page.map(publicRevision),
          ...(start + page.length < all.length ? { nextPageToken: String(start + page.length) } : {}),
        });
      }
      const service = services.get(path);
      if (/^projects\/[^/]+\/locations\/[^/]+\/services\/[^/]+$/.test(path)) {
        if (!service)
          return error(
            res,
            404,
            'NOT_FOUND',
            `Resource '${path.split('/').pop()}' of kind 'SERVICE' in region '${path.split('/')[3]}' in project '${path.split('/')[1]}' does not exist.`,
          );
        if (req.method === 'GET') return send(res, 200, structuredClone(service));
        if (req.method === 'PATCH') {
          if (conflicts > 0) {
            conflicts--;
            return error(
              res,
              409,
              'ABORTED',
              `Conflict for resource '${path.split('/').pop()}': the service is being updated.`,
            );
          }
          beforePatch?.(path);
          return patchService(res, service, body, url.searchParams.get('updateMask') ?? undefined);
        }
      }
      return error(res, 404, 'NOT_FOUND', `${req.method} ${url.pathname} is not part of this fake`);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;

  function publicRevision(revision) {
    const { failing: _failing, configuration: _configuration, ...rest } = revision;
    return structuredClone(rest);
  }

  return {
    url,
    token,
    calls,
    /** A service serving `image` from one ready revision, all traffic to the latest. */
    addService({ project = 'acme-prod', region = 'europe-west1', service = 'shop', image }) {
      const name = `projects/${project}/locations/${region}/services/${service}`;
      const record = {
        name,
        uid: randomUUID(),
        generation: '1',
        etag: etag(),
        template: {
          containers: [
            { image, ports: [{ containerPort: 8080 }] },
            { image: 'otel/collector:0.100', name: 'otel' },
          ],
          scaling: { maxInstanceCount: 10 },
        },
        traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }],
      };
      services.set(name, record);
      const revision = createRevision(record, record.template);
      revision.conditions = [{ type: 'Ready', state: 'CONDITION_SUCCEEDED' }];
      record.latestReadyRevision = revision.name;
      record.trafficStatuses = [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }];
      return { name, revision: /** @type {string} */ (revision.name.split('/').pop()) };
    },
    /** Revision → percent (LATEST resolved), tags, and each revision's serving image. */
    traffic(name) {
      const service = services.get(name);
      return Object.fromEntries(
        (service.trafficStatuses ?? []).map((t) => {
          const revision =
            t.type === 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST'
              ? service.latestReadyRevision.split('/').pop()
              : t.revision;
          return [revision, t.percent];
        }),
      );
    },
    tags(name) {
      return Object.fromEntries(
        (services.get(name).trafficStatuses ?? []).filter((t) => t.tag).map((t) => [t.tag, t.revision]),
      );
    },
    imageOf(name, revision) {
      return revisions.get(`${name}/revisions/${revision}`)?.containers?.find((c) => c.ports?.length)?.image;
    },
    revisionNames(name) {
      return [...revisions.keys()].filter((r) => r.startsWith(`${name}/`)).map((r) => r.split('/').pop());
    },
    /**
     * Revisions of this image fail to start, with Cloud Run's reason. `operationDelayMs`: their
     * operation finishes only this long after (the revision's condition says so first).
     */
    neverReady(
      image,
      reason = 'HealthCheckContainerError',
      message = 'The user-provided container failed to start and listen on the port defined provided by the PORT=8080 environment variable.',
      { operationDelayMs = 0 } = {},
    ) {
      failingImages.set(image, { reason, message, operationDelayMs });
    },
    /** The next `count` requests answer `status` (429 RESOURCE_EXHAUSTED or 503 UNAVAILABLE). */
    failNext(count, status = 503) {
      faults.push({ status, left: count });
    },
    revoke(value = token) {
      validTokens.delete(value);
    },
    /** Accepts another access token (one a token endpoint issued: the auth fake's onIssue). */
    accept(value) {
      validTokens.add(value);
    },
    /** Another writer sets the service's labels right before the next PATCH (the etag read before goes stale). */
    changeBehindYourBack() {
      beforePatch = (name) => {
        beforePatch = undefined;
        const s = services.get(name);
        s.etag = etag();
        s.labels = { touched: 'yes' };
      };
    },
    /** The next `count` PATCHes answer 409 ABORTED (google.rpc's code for a concurrency conflict). */
    conflictNext(count = 1) {
      conflicts += count;
    },
    labels(name) {
      return services.get(name).labels;
    },
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections?.();
    },
  };
}

/**
 * A revision's configuration as Cloud Run records it: the template with the defaults the server fills
 * in (GET revision shows them: resources, request concurrency, timeout), without the revision name.
 */
function withDefaults(template) {
  const { revision: _name, ...rest } = structuredClone(template);
  return {
    maxInstanceRequestConcurrency: 80,
    timeout: '300s',
    ...rest,
    containers: (rest.containers ?? []).map((c) => ({
      resources: { limits: { cpu: '1000m', memory: '512Mi' }, cpuIdle: true },
      ...c,
    })),
  };
}

/** Whether a request's template is exactly a recorded configuration (what a named revision must be). */
function sameConfiguration(template, configuration) {
  const { revision: _name, ...rest } = template;
  const canonical = (value) =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, canonical(value[k])]),
          )
        : value;
  return JSON.stringify(canonical(rest)) === JSON.stringify(canonical(configuration));
}
