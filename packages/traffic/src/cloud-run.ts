// Google Cloud Run through its Admin API v2 (REST). Each release is a revision; the canary is a new
// revision with a tag and 0 % of traffic, then revision traffic moves per step. Cloud Run keeps old
// revisions, so abort and rollback are one traffic update to a revision that is already warm.
import {
  type Clock,
  formatDuration,
  type HttpRequest,
  type HttpResponse,
  oneLine,
  PermanentError,
  retry,
  RETRYABLE_STATUSES,
  statusError,
  systemClock,
} from '@deploy-actions/core';
import type { AccessTokenSource } from './gcp-auth';
import type { Release, ReleaseState, ReleaseTarget, ReleaseTargetOptions } from './rollout';

export { type AccessTokenSource, credentialsFileToken, staticToken } from './gcp-auth';

export interface CloudRunOptions extends ReleaseTargetOptions {
  /** https://run.googleapis.com, or a regional/private endpoint. */
  apiUrl: string;
  project: string;
  region: string;
  service: string;
  /** The tag the canary revision gets (its own URL: https://<tag>---<service>-<hash>.run.app). */
  tag: string;
  /**
   * The OAuth2 access token: staticToken(input gcp-access-token, from google-github-actions/auth with
   * token_format: access_token) or credentialsFileToken(GOOGLE_APPLICATION_CREDENTIALS).
   */
  auth: AccessTokenSource;
  /** The HTTP client (core's `request`), handed in by the entry. */
  http: (req: HttpRequest) => Promise<HttpResponse>;
}

type AllocationType = 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST' | 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION';
interface TrafficTarget {
  type?: AllocationType;
  revision?: string;
  percent?: number;
  tag?: string;
}
interface Condition {
  type?: string;
  state?: string;
  reason?: string;
  revisionReason?: string;
  message?: string;
}
interface Service {
  name: string;
  etag?: string;
  template: { revision?: string; containers: Container[]; [k: string]: unknown };
  traffic?: TrafficTarget[];
  trafficStatuses?: TrafficTarget[];
  latestReadyRevision?: string;
  latestCreatedRevision?: string;
  [k: string]: unknown;
}
/** The fields an update writes; their names are its updateMask. */
type ServiceUpdate = Partial<Pick<Service, 'template' | 'traffic'>>;
interface Container {
  image: string;
  ports?: unknown[];
  [k: string]: unknown;
}
interface Revision {
  name: string;
  createTime?: string;
  containers?: Container[];
  conditions?: Condition[];
}
interface Operation {
  name: string;
  done?: boolean;
  error?: { code?: number; message?: string };
}

const CONDITION_SUCCEEDED = 'CONDITION_SUCCEEDED';
/** A traffic tag and the service name together (the API's limit: they share the tag URL's DNS label). */
const MAX_TAG_AND_SERVICE = 46;
const CONDITION_FAILED = 'CONDITION_FAILED';
/** An API call that keeps failing with 429/5xx gives up after this long. */
const API_DEADLINE_MS = 120_000;

export class CloudRunTarget implements ReleaseTarget {
  readonly kind = 'release' as const;
  private readonly clock: Clock;
  /** The revision that had the traffic when this rollout began (short name). */
  private stableRevision: string | undefined;
  private canaryRevision: string | undefined;

  constructor(private readonly o: CloudRunOptions) {
    this.clock = o.clock ?? systemClock;
    // The tag URL's DNS label holds both; the API refuses a longer pair (at the first traffic update).
    if (o.tag.length + o.service.length > MAX_TAG_AND_SERVICE)
      throw new PermanentError(
        `cloud-run-tag '${o.tag}' and service '${o.service}' together are ${o.tag.length + o.service.length} characters; Cloud Run allows ${MAX_TAG_AND_SERVICE}: give a shorter cloud-run-tag`,
      );
  }

  /** Names from the inputs are one path segment each, whatever they contain. */
  private get servicePath(): string {
    return ['projects', this.o.project, 'locations', this.o.region, 'services', this.o.service]
      .map(encodeURIComponent)
      .join('/');
  }

  async describe(signal?: AbortSignal): Promise<ReleaseState> {
    const service = await this.getService(signal);
    const { stable, canary } = this.roles(service);
    const imageOf = async (revision: string) => ingressImage((await this.getRevision(revision, signal)).containers);
    const stableImage = stable ? await imageOf(stable.revision!) : ingressImage(service.template.containers);
    const state: ReleaseState = { stable: { image: stableImage } };
    // No instance count: Cloud Run scales a revision to zero when it gets no requests and starts
    // instances on demand, so none running says nothing about whether the canary can serve.
    if (canary) state.canary = { image: await imageOf(canary.revision!), weight: canary.percent ?? 0 };
    return state;
  }

  /** Cloud Run's traffic percent is a whole number kept as written, so the share read back is the one set. */
  reportedWeight(percent: number): number {
    return percent;
  }

  async deployCanary(signal: AbortSignal): Promise<void> {
    const existing = await this.findRevision(this.o.release.image, signal);
    const service = await this.getService(signal);
    this.stableRevision = this.roles(service).stable?.revision ?? short(service.latestReadyRevision);
    if (!this.stableRevision)
      throw new PermanentError(
        `Cloud Run service ${this.o.service} has no ready revision serving traffic to compare the canary with; deploy it once first`,
      );
    if (existing && existing !== this.stableRevision) {
      this.o.log.info(`revision ${existing} already runs ${this.o.release.image}: tagging it as the canary at 0 %`);
      this.canaryRevision = existing;
      await this.setTraffic(
        [
          { revision: this.stableRevision, percent: 100 },
          { revision: existing, percent: 0, tag: this.o.tag },
        ],
        signal,
      );
      return;
    }
    const name = revisionName(this.o.service, this.o.release.version, this.clock.now());
    this.canaryRevision = name;
    this.o.log.info(`deploying revision ${name} with ${this.o.release.image}, no traffic, tag ${this.o.tag}`);
    await this.deployRevision(
      name,
      this.o.release.image,
      [revisionTraffic(this.stableRevision, 100), revisionTraffic(name, 0, this.o.tag)],
      signal,
    );
  }

  async setWeight(percent: number, signal: AbortSignal): Promise<void> {
    const { stable, canary } = await this.rollout(signal);
    await this.setTraffic(
      [
        { revision: stable, percent: 100 - percent },
        { revision: canary, percent, tag: this.o.tag },
      ],
      signal,
    );
  }

  /** The canary revision takes all traffic; the old one stays as a revision for an instant rollback. */
  async promote(signal: AbortSignal): Promise<void> {
    const { canary } = await this.rollout(signal);
    await this.setTraffic([{ revision: canary, percent: 100 }], signal);
  }

  /** All traffic to the stable revision. No signal: it runs to the end even in a cancelled job. */
  async abort(): Promise<void> {
    const { stable } = await this.rollout(undefined);
    await this.setTraffic([{ revision: stable, percent: 100 }], undefined);
  }

  /** The newest ready revision with that image takes all traffic; a new revision only when none has it. */
  async rollbackTo(release: Release, signal: AbortSignal): Promise<void> {
    let revision = await this.findRevision(release.image, signal);
    if (revision) {
      this.o.log.info(`revision ${revision} still runs ${release.image}: routing all traffic to it`);
    } else {
      const service = await this.getService(signal);
      const serving = this.roles(service).stable?.revision ?? short(service.latestReadyRevision)!;
      revision = revisionName(this.o.service, release.version, this.clock.now());
      this.o.log.info(`no revision runs ${release.image} any more: deploying ${revision}, then routing to it`);
      await this.deployRevision(revision, release.image, [revisionTraffic(serving, 100)], signal);
    }
    await this.setTraffic([{ revision, percent: 100 }], signal);
  }

  /** The stable and canary revisions: remembered from deployCanary, else read from the service (a later job, the post step). */
  private async rollout(signal: AbortSignal | undefined): Promise<{ stable: string; canary: string }> {
    if (!this.stableRevision || !this.canaryRevision) {
      const roles = this.roles(await this.getService(signal));
      this.stableRevision ??= roles.stable?.revision;
      this.canaryRevision ??= roles.canary?.revision;
    }
    if (!this.stableRevision)
      throw new PermanentError(
        `cannot tell the stable revision of ${this.o.service}: no untagged revision has traffic`,
      );
    if (!this.canaryRevision)
      throw new PermanentError(
        `Cloud Run service ${this.o.service} has no revision tagged '${this.o.tag}': no canary to move traffic to`,
      );
    return { stable: this.stableRevision, canary: this.canaryRevision };
  }

  /** Canary: the revision with our tag. Stable: the other revision with the most traffic (LATEST resolved). */
  private roles(service: Service): { stable?: TrafficTarget; canary?: TrafficTarget } {
    const statuses = (service.trafficStatuses ?? service.traffic ?? []).map((t) => ({
      ...t,
      revision:
        t.type === 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST' ? short(service.latestReadyRevision) : short(t.revision),
    }));
    const canary = statuses.find((t) => t.tag === this.o.tag && t.revision);
    const stable = statuses
      .filter((t) => t.revision && t.revision !== canary?.revision && (t.percent ?? 0) > 0)
      .sort((a, b) => (b.percent ?? 0) - (a.percent ?? 0))[0];
    return { stable, canary };
  }

  /** Sets the revision traffic, waits for the change, and reads it back. */
  private async setTraffic(
    targets: Array<{ revision: string; percent: number; tag?: string }>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const what = targets.map((t) => `${t.revision}=${t.percent}%`).join(', ');
    const service = await this.update(
      signal,
      () => ({ traffic: targets.map((t) => revisionTraffic(t.revision, t.percent, t.tag)) }),
      `set traffic ${what}`,
    );
    const actual = new Map((service.trafficStatuses ?? []).map((t) => [short(t.revision), t.percent ?? 0]));
    for (const t of targets) {
      if ((actual.get(t.revision) ?? 0) !== t.percent) {
        throw new PermanentError(
          `Cloud Run reports ${[...actual].map(([r, p]) => `${r}=${p}%`).join(', ') || 'no traffic'} after setting ${what}`,
        );
      }
    }
  }

  /**
   * Writes the fields `change` returns, and only those (they are the updateMask), waits for the
   * operation and reads the service again. The body is never the service read back: Cloud Run checks
   * a template that names an existing revision against it even outside the mask (409 "Revision named
   * … with different configuration already exists"), and ignores the etag, which is output only. So a
   * concurrent edit of the written fields between the read and the write is overwritten (the traffic
   * read back after each write shows it); fields outside the mask are never touched. 409 ABORTED and
   * 412 FAILED_PRECONDITION (google.rpc's codes for a concurrency conflict) mean: read again and
   * re-apply. `watch` runs at each poll of the operation and may throw to stop waiting (a failed revision).
   */
  private async update(
    signal: AbortSignal | undefined,
    change: (s: Service) => ServiceUpdate,
    what: string,
    watch?: () => Promise<void>,
  ): Promise<Service> {
    return retry(
      async () => {
        const body = change(await this.getService(signal));
        const operation = await this.call<Operation>(
          'PATCH',
          `${this.servicePath}?updateMask=${Object.keys(body).join(',')}`,
          signal,
          body,
          what,
        );
        await this.waitOperation(operation, what, signal, watch);
        return this.getService(signal);
      },
      { timeoutMs: API_DEADLINE_MS, what, signal, clock: this.clock, isRetryable: (e) => e instanceof ConflictError },
    );
  }

  private async waitOperation(
    operation: Operation,
    what: string,
    signal: AbortSignal | undefined,
    watch?: () => Promise<void>,
  ): Promise<void> {
    const started = this.clock.now();
    let op = operation;
    while (!op.done) {
      if (this.clock.now() - started > this.o.readyTimeoutMs)
        throw new PermanentError(
          `${what}: Cloud Run did not finish within ${formatDuration(this.o.readyTimeoutMs)} (operation ${op.name})`,
        );
      await this.clock.sleep(this.o.pollIntervalMs ?? 1000, signal);
      await watch?.();
      op = await this.call<Operation>('GET', op.name, signal, undefined, `poll ${what}`);
    }
    if (op.error) throw new PermanentError(`${what} failed: ${op.error.message ?? `code ${op.error.code}`}`);
  }

  /** A new revision running `image`, with `traffic` unchanged for the revisions that serve; returns once it is ready. */
  private async deployRevision(
    name: string,
    image: string,
    traffic: TrafficTarget[],
    signal: AbortSignal,
  ): Promise<void> {
    // A revision that fails (image not found, container not listening, failed probe) is reported as
    // soon as its Ready condition says so, not when the operation gives up.
    const watch = async () => {
      const ready = (
        await this.getRevision(name, signal).catch((e: unknown) => {
          if (e instanceof NotFoundError) return undefined;
          throw e;
        })
      )?.conditions?.find((c) => c.type === 'Ready');
      if (ready?.state === CONDITION_FAILED) throw revisionFailed(name, ready);
    };
    try {
      await this.update(
        signal,
        (s) => ({ template: withImage(s.template, name, image), traffic }),
        `deploy revision ${name}`,
        watch,
      );
    } catch (error) {
      if (error instanceof RevisionFailedError) throw error;
      // The operation's error is generic; the revision's Ready condition says why it failed.
      const ready = (await this.getRevision(name, signal).catch(() => undefined))?.conditions?.find(
        (c) => c.type === 'Ready',
      );
      if (ready?.state === CONDITION_FAILED) throw revisionFailed(name, ready);
      throw error;
    }
    await this.waitReady(name, signal);
  }

  /** Waits for the revision's Ready condition; a failed revision is reported at once with Cloud Run's reason. */
  private async waitReady(revision: string, signal: AbortSignal): Promise<void> {
    const started = this.clock.now();
    for (;;) {
      const ready = (await this.getRevision(revision, signal)).conditions?.find((c) => c.type === 'Ready');
      if (ready?.state === CONDITION_SUCCEEDED) {
        this.o.log.info(`revision ${revision} is ready (${formatDuration(this.clock.now() - started)})`);
        return;
      }
      if (ready?.state === CONDITION_FAILED) throw revisionFailed(revision, ready);
      if (this.clock.now() - started > this.o.readyTimeoutMs) {
        throw new PermanentError(
          `revision ${revision} was not ready within ${formatDuration(this.o.readyTimeoutMs)}${ready?.message ? `: ${ready.message}` : ''}; no traffic was moved to it`,
        );
      }
      await this.clock.sleep(this.o.pollIntervalMs ?? 1000, signal);
    }
  }

  /** The newest ready revision of this service whose container runs `image`. */
  private async findRevision(image: string, signal: AbortSignal | undefined): Promise<string | undefined> {
    const revisions: Revision[] = [];
    let pageToken = '';
    do {
      const page = await this.call<{ revisions?: Revision[]; nextPageToken?: string }>(
        'GET',
        `${this.servicePath}/revisions?pageSize=100${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`,
        signal,
        undefined,
        'list revisions',
      );
      revisions.push(...(page.revisions ?? []));
      pageToken = page.nextPageToken ?? '';
    } while (pageToken);
    return revisions
      .filter(
        (r) =>
          ingressImage(r.containers) === image &&
          r.conditions?.some((c) => c.type === 'Ready' && c.state === CONDITION_SUCCEEDED),
      )
      .sort((a, b) => (b.createTime ?? '').localeCompare(a.createTime ?? ''))
      .map((r) => short(r.name))[0];
  }

  private getService(signal: AbortSignal | undefined): Promise<Service> {
    return this.call<Service>('GET', this.servicePath, signal, undefined, `get service ${this.o.service}`);
  }

  private getRevision(revision: string, signal: AbortSignal | undefined): Promise<Revision> {
    return this.call<Revision>(
      'GET',
      `${this.servicePath}/revisions/${encodeURIComponent(revision)}`,
      signal,
      undefined,
      `get revision ${revision}`,
    );
  }

  /**
   * One API call; 429/5xx and network faults retried with backoff, auth failures explained. A token
   * from a credentials file that the API rejects is fetched anew once (it may have been revoked early).
   */
  private call<T>(
    method: string,
    path: string,
    signal: AbortSignal | undefined,
    body: unknown,
    what: string,
  ): Promise<T> {
    const send = async () =>
      this.o.http({
        url: `${this.o.apiUrl.replace(/\/$/, '')}/v2/${path}`,
        method,
        signal,
        timeoutMs: 30_000,
        headers: {
          authorization: `Bearer ${await this.o.auth.token(signal)}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    return retry(
      async () => {
        let response = await send();
        if (response.status === 401 && this.o.auth.invalidate()) {
          this.o.log.info(`Cloud Run ${what}: the access token was rejected; getting a new one`);
          response = await send();
        }
        if (response.status >= 200 && response.status < 300) return response.json() as T;
        throw apiError(response, what, this.o.auth);
      },
      {
        timeoutMs: API_DEADLINE_MS,
        what: `Cloud Run ${what}`,
        signal,
        clock: this.clock,
        onRetry: ({ error, delayMs }) =>
          this.o.log.info(`Cloud Run ${what}: ${oneLine(error)}; retrying in ${formatDuration(delayMs)}`),
        delayHint: (e) => (e as { retryAfterMs?: number }).retryAfterMs,
      },
    );
  }
}

/** Another writer changed the service since we read it: read again and re-apply (not a blind resend). */
class ConflictError extends PermanentError {}
class NotFoundError extends PermanentError {}
class RevisionFailedError extends PermanentError {}

/** google.rpc.Status errors, in the words a person acts on. */
function apiError(response: HttpResponse, what: string, auth: AccessTokenSource): Error {
  let status = '';
  let message = '';
  try {
    const parsed = response.json() as { error?: { status?: string; message?: string } };
    status = parsed.error?.status ?? '';
    message = parsed.error?.message ?? '';
  } catch {
    /* not JSON */
  }
  const detail = `${status || `HTTP ${response.status}`}${message ? `: ${message}` : ''}`;
  if (response.status === 401)
    return new PermanentError(`Cloud Run ${what}: ${auth.credential} was rejected (${detail}): ${auth.fix}`);
  if (response.status === 403)
    return new PermanentError(
      `Cloud Run ${what}: permission denied for ${auth.credential} (${detail}); grant the deploying service account roles/run.developer on the service and roles/iam.serviceAccountUser on its runtime service account`,
    );
  // A concurrency conflict (ABORTED / FAILED_PRECONDITION); ALREADY_EXISTS (a revision name taken) is not a race.
  if ((response.status === 409 && status !== 'ALREADY_EXISTS') || response.status === 412)
    return new ConflictError(`Cloud Run ${what}: ${detail} (another change landed first)`);
  if (response.status === 404) return new NotFoundError(`Cloud Run ${what}: ${detail}`);
  if (RETRYABLE_STATUSES.has(response.status)) return statusError(response, `Cloud Run ${what}: ${detail}`);
  return new PermanentError(`Cloud Run ${what}: ${detail}`);
}

function revisionFailed(revision: string, ready: Condition): PermanentError {
  return new RevisionFailedError(
    `revision ${revision} failed: ${ready.revisionReason ?? ready.reason ?? 'no reason given'}: ${ready.message ?? ''}; no traffic was moved to it`,
  );
}

function revisionTraffic(revision: string, percent: number, tag?: string): TrafficTarget {
  return { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision, percent, ...(tag ? { tag } : {}) };
}

/** projects/p/locations/l/services/s/revisions/r → r */
function short(name: string | undefined): string | undefined {
  return name?.split('/').pop() || undefined;
}

/** The container that serves requests (the one with a port; sidecars have none) is the one whose image changes. */
function ingressIndex(containers: Container[] | undefined): number {
  return Math.max(0, containers?.findIndex((c) => c.ports?.length) ?? 0);
}

function ingressImage(containers: Container[] | undefined): string {
  return containers?.[ingressIndex(containers)]?.image ?? '';
}

function withImage(template: Service['template'], revision: string, image: string): Service['template'] {
  const index = ingressIndex(template.containers);
  return { ...template, revision, containers: template.containers.map((c, i) => (i === index ? { ...c, image } : c)) };
}

/** <service>-<version>-<time>: a valid, unique revision name (lower case, 63 characters at most). */
export function revisionName(service: string, version: string, now: number): string {
  const stamp = now.toString(36).slice(-6);
  const slug =
    version
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'release';
  const room = 63 - service.length - stamp.length - 2;
  return `${service}-${slug.slice(0, Math.max(1, room)).replace(/-+$/, '')}-${stamp}`;
}
