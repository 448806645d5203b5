/**
 * A seeded mutation fuzzer for the SOAP and REST APIs, in-process through fastify's `inject`.
 * Every answer must be in its API's form, with no internal error, within the hang timeout and
 * without a crash; every so often the inventory must still agree with itself over SOAP and REST.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import { allRoutes } from '../../simulator/rest/index.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { createLogger } from '../../simulator/logger.js';
import { Dice, edgeTexts, mutateBytes, mutateElements, randomJson } from './mutate.js';
import { loginRequest, soapSeeds, type Ids } from './soap-corpus.js';

export interface FuzzOptions {
  seed: number;
  cases: number;
  /** Stop early after this long, whatever `cases` says. */
  maxSeconds?: number;
  /** A call taking longer than this is a hang. */
  hangMs?: number;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  soapCases: number;
  restCases: number;
  /** Cases answered with success (200 SOAP, 2xx REST): mutations that got past every check. */
  soapSuccesses: number;
  restSuccesses: number;
  internalErrors: number;
  hangs: number;
  crashes: number;
  nonApiForm: number;
  invariantChecks: number;
  invariantBreaks: number;
  seconds: number;
  /** The first few failures, to reproduce them. */
  examples: string[];
}

type Finding = 'internalErrors' | 'hangs' | 'crashes' | 'nonApiForm' | 'invariantBreaks';

const invariantEvery = 250;
const reloginEvery = 100;

export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const run = new FuzzRun(options);
  return run.run();
}

class FuzzRun {
  private readonly dice: Dice;
  private readonly report: FuzzReport;
  private sim!: Simulator;
  private cookie = '';
  private token = '';
  private seeds: string[] = [];
  private ids!: Ids;
  private readonly routes = allRoutes();
  private internalLogs = 0;

  constructor(private readonly options: FuzzOptions) {
    this.dice = new Dice(options.seed);
    this.report = {
      seed: options.seed, cases: 0, soapCases: 0, restCases: 0, soapSuccesses: 0, restSuccesses: 0, internalErrors: 0, hangs: 0, crashes: 0,
      nonApiForm: 0, invariantChecks: 0, invariantBreaks: 0, seconds: 0, examples: [],
    };
  }

  async run(): Promise<FuzzReport> {
    const started = performance.now();
    const deadline = started + (this.options.maxSeconds ?? Infinity) * 1000;
    const restoreConsole = this.watchInternalErrors();
    const onCrash = (error: unknown) => this.found('crashes', `uncaught: ${String(error)}`);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    this.sim = await createSimulator({ seed: this.options.seed, tls: false, logger: this.errorLog() });
    try {
      this.ids = inventoryIds(this.sim);
      this.seeds = soapSeeds(this.ids);
      for (let i = 0; i < this.options.cases && performance.now() < deadline; i++) {
        if (i % reloginEvery === 0) await this.login();
        await (this.dice.chance(0.6) ? this.soapCase() : this.restCase());
        this.report.cases++;
        if ((i + 1) % invariantEvery === 0) await this.checkInvariants();
      }
      await this.checkInvariants();
    } finally {
      await this.sim.close();
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      restoreConsole();
    }
    this.report.internalErrors += this.internalLogs;
    this.report.seconds = (performance.now() - started) / 1000;
    return this.report;
  }

  /** The server logs each internal error (never shown to clients) at error level: count them. */
  private errorLog() {
    return createLogger({
      level: 'error',
      destination: {
        write: (line: string) => {
          this.internalLogs++;
          if (this.report.examples.length < 10) this.report.examples.push(`logged: ${line.slice(0, 600)}`);
        },
      },
    });
  }

  /** Anything still printed with console.error by the server counts as well. */
  private watchInternalErrors(): () => void {
    const original = console.error;
    console.error = (...args: unknown[]) => {
      if (String(args[0]).includes('internal error') || String(args[0]).includes('cannot encode')) {
        this.internalLogs++;
        if (this.report.examples.length < 10) this.report.examples.push(`logged: ${args.map(String).join(' ').slice(0, 400)}`);
      } else original(...args);
    };
    return () => (console.error = original);
  }

  private async login(): Promise<void> {
    const soap = await this.sim.app.inject({ method: 'POST', url: '/sdk', payload: loginRequest });
    this.cookie = String(soap.headers['set-cookie'] ?? '').split(';')[0]!;
    const rest = await this.sim.app.inject({ method: 'POST', url: '/api/session', headers: { authorization: 'Basic ' + Buffer.from('user:pass').toString('base64') } });
    this.token = rest.json() as string;
  }

  private async soapCase(): Promise<void> {
    this.report.soapCases++;
    let body = this.dice.pick(this.seeds);
    // Mostly one mutation, so many requests get past the parser into the models; sometimes none or a few.
    const mutations = this.dice.chance(0.1) ? 0 : this.dice.chance(0.7) ? 1 : 2 + this.dice.below(2);
    for (let n = mutations; n > 0; n--) body = this.dice.chance(0.5) ? mutateElements(this.dice, body) : mutateBytes(this.dice, body);
    const headers: Record<string, string> = { 'content-type': 'text/xml' };
    if (this.dice.chance(0.9)) headers.cookie = this.cookie;
    if (this.dice.chance(0.3)) headers.soapaction = `urn:vim25/${this.dice.pick(['6.5', '6.7', '7.0', '7.0.3.0', '99', 'x'])}`;
    const reply = await this.send({ method: 'POST', url: this.dice.chance(0.95) ? '/sdk' : '/sdk/vimService.wsdl', payload: body, headers }, body);
    if (reply) this.checkSoap(reply, body);
  }

  private checkSoap(reply: LightMyRequestResponse, request: string): void {
    const body = reply.body;
    if (reply.statusCode === 200) this.report.soapSuccesses++;
    const xml = String(reply.headers['content-type'] ?? '').startsWith('text/xml');
    const envelope = body.includes('<soapenv:Envelope') && body.includes('</soapenv:Envelope>');
    const form = reply.statusCode === 200 ? /Response xmlns="urn:vim25">/.test(body) : body.includes('<soapenv:Fault><faultcode>');
    if (!xml || !envelope || !form) this.found('nonApiForm', `SOAP ${reply.statusCode}: ${body.slice(0, 200)} <- ${request.slice(0, 300)}`);
    if (body.includes('<reason>Internal error</reason>')) this.found('internalErrors', `SOAP SystemError <- ${request.slice(0, 400)}`);
  }

  private async restCase(): Promise<void> {
    this.report.restCases++;
    const route = this.dice.pick(this.routes);
    const flavour = typeof route.path === 'string' ? this.dice.pick(['api', 'rest'] as const) : route.path.api !== undefined ? 'api' : 'rest';
    const template = typeof route.path === 'string' ? route.path : route.path[flavour]!;
    const path = template.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(this.paramValue(name)));
    const query = route.action ? `?${flavour === 'api' ? 'action' : '~action'}=${this.dice.chance(0.9) ? route.action : this.dice.pick(edgeTexts)}` : '';
    const url = `/${flavour}${path}${query}${this.dice.chance(0.2) ? `${query ? '&' : '?'}${this.dice.pick(['names', 'vms', 'hosts', 'power_states', 'x'])}=${encodeURIComponent(this.dice.pick(edgeTexts))}` : ''}`;
    const headers: Record<string, string> = {};
    if (this.dice.chance(0.9)) headers['vmware-api-session-id'] = this.dice.chance(0.95) ? this.token : this.dice.pick(edgeTexts);
    if (this.dice.chance(0.1)) headers.authorization = this.dice.pick(['Basic dXNlcjpwYXNz', 'Basic !!', 'Bearer x', '']);
    let payload: string | undefined;
    if (route.method !== 'GET' && this.dice.chance(0.9)) {
      headers['content-type'] = this.dice.chance(0.9) ? 'application/json' : this.dice.pick(['text/plain', 'application/xml', '']);
      payload = JSON.stringify(flavour === 'rest' && this.dice.chance(0.5) ? { spec: randomJson(this.dice) } : randomJson(this.dice));
      if (this.dice.chance(0.2)) payload = mutateBytes(this.dice, payload);
    }
    const reply = await this.send({ method: route.method, url, payload, headers }, `${route.method} ${url} ${payload ?? ''}`);
    if (reply) this.checkRest(reply, flavour, `${route.method} ${url} ${payload?.slice(0, 200) ?? ''}`);
  }

  private paramValue(name: string): string {
    if (this.dice.chance(0.15)) return this.dice.pick(edgeTexts) || 'x';
    const known: Record<string, string[]> = {
      vm: [this.ids.vm, this.ids.vm2], host: [this.ids.host], datastore: [this.ids.datastore], folder: [this.ids.vmFolder],
      datacenter: [this.ids.datacenter], pool: [this.ids.pool], cluster: ['domain-c1', 'x'], disk: ['2000', '2001'], nic: ['4000'], cdrom: ['3000'],
    };
    return this.dice.pick(known[name] ?? ['x', 'task-1', 'urn:vmomi:InventoryServiceTag:1:GLOBAL']);
  }

  private checkRest(reply: LightMyRequestResponse, flavour: 'api' | 'rest', request: string): void {
    const status = reply.statusCode;
    const json = String(reply.headers['content-type'] ?? '').startsWith('application/json');
    if (status < 400) {
      this.report.restSuccesses++;
      if (reply.body && !json) this.found('nonApiForm', `REST ${status} not JSON: ${reply.body.slice(0, 200)} <- ${request}`);
      return;
    }
    let error: any;
    try {
      error = JSON.parse(reply.body);
    } catch {
      return this.found('nonApiForm', `REST ${status} body not JSON: ${reply.body.slice(0, 200)} <- ${request}`);
    }
    const vapi = flavour === 'api' ? error : error?.value;
    const shaped = json && typeof vapi?.error_type === 'string' && Array.isArray(vapi.messages) && (flavour === 'api' || String(error.type).startsWith('com.vmware.vapi.std.errors.'));
    if (!shaped) this.found('nonApiForm', `REST ${status}: ${reply.body.slice(0, 200)} <- ${request}`);
    if (status >= 500 && vapi?.messages?.[0]?.id === 'com.vmware.vapi.rest.internal_error') this.found('internalErrors', `REST 500 <- ${request}`);
  }

  /** Injects `request`; a throw is a crash, no answer within the hang timeout a hang. */
  private async send(request: InjectOptions, label: string): Promise<LightMyRequestResponse | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), this.options.hangMs ?? 5000)));
    try {
      const reply = await Promise.race([this.sim.app.inject(request), hang]);
      if (reply === 'hang') return void this.found('hangs', label.slice(0, 400));
      return reply;
    } catch (error) {
      return void this.found('crashes', `${String(error)} <- ${label.slice(0, 400)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The inventory agrees with itself: the registry, a SOAP retrieval and the REST list name the same VMs; parents list their children. */
  private async checkInvariants(): Promise<void> {
    this.report.invariantChecks++;
    const registry = new Set(this.sim.vc.registry.ofType('VirtualMachine').map((vm) => vm.self.value));
    const soap = await this.soapVmIds();
    if (!sameSet(registry, soap)) this.found('invariantBreaks', `SOAP lists ${soap.size} VMs, the registry ${registry.size}`);
    if (registry.size <= 4000) {
      const rest = await this.sim.app.inject({ method: 'GET', url: '/api/vcenter/vm', headers: { 'vmware-api-session-id': this.token } });
      const listed = new Set((rest.json() as { vm: string }[]).map((v) => v.vm));
      if (!sameSet(registry, listed)) this.found('invariantBreaks', `REST lists ${listed.size} VMs, the registry ${registry.size}`);
    }
    for (const entity of this.sim.vc.registry.ofType<ManagedEntity>('ManagedEntity')) {
      if (!entity.parent) continue;
      const parent = this.sim.vc.registry.get(entity.parent) as { childEntity?: { value: string }[] } | undefined;
      if (!parent) this.found('invariantBreaks', `${entity.self.value}'s parent ${entity.parent.value} is gone`);
      else if (entity.parent.type === 'Folder' && !parent.childEntity?.some((c) => c.value === entity.self.value)) {
        this.found('invariantBreaks', `${entity.self.value} is not among the children of its folder ${entity.parent.value}`);
      }
    }
  }

  private async soapVmIds(): Promise<Set<string>> {
    await this.login();
    const envelope = (body: string) => `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
    const post = (body: string) => this.sim.app.inject({ method: 'POST', url: '/sdk', payload: envelope(body), headers: { cookie: this.cookie } });
    const view = /<returnval type="ContainerView">([^<]+)</.exec((await post('<CreateContainerView xmlns="urn:vim25"><_this type="ViewManager">ViewManager</_this><container type="Folder">group-d1</container><type>VirtualMachine</type><recursive>true</recursive></CreateContainerView>')).body)?.[1];
    const spec = `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet><objectSet><obj type="ContainerView">${view}</obj><skip>true</skip><selectSet xsi:type="TraversalSpec"><type>ContainerView</type><path>view</path><skip>false</skip></selectSet></objectSet></specSet>`;
    const body = (await post(`<RetrieveProperties xmlns="urn:vim25"><_this type="PropertyCollector">propertyCollector</_this>${spec}</RetrieveProperties>`)).body;
    await post(`<DestroyView xmlns="urn:vim25"><_this type="ContainerView">${view}</_this></DestroyView>`);
    return new Set([...body.matchAll(/<obj type="VirtualMachine">([^<]+)</g)].map((m) => m[1]!));
  }

  private found(kind: Finding, example: string): void {
    this.report[kind]++;
    if (this.report.examples.length < 10) this.report.examples.push(`${kind}: ${example}`);
  }
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

function inventoryIds(sim: Simulator): Ids {
  const { registry } = sim.vc;
  const named = (type: string, name: string) => registry.ofType<ManagedEntity>(type).find((e) => e.name === name)!.self.value;
  return {
    vm: named('VirtualMachine', 'DC0_H0_VM0'),
    vm2: named('VirtualMachine', 'DC0_C0_RP0_VM1'),
    host: named('HostSystem', 'DC0_C0_H1'),
    folder: 'group-d1',
    vmFolder: named('Folder', 'vm'),
    pool: registry.ofType<ManagedEntity>('ResourcePool')[0]!.self.value,
    datastore: named('Datastore', 'LocalDS_0'),
    datacenter: named('Datacenter', 'DC0'),
  };
}
