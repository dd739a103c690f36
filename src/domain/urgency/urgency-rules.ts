/**
 * The default urgency rules per trade: transparent phrase lists, not a model, so every decision names
 * the rule that fired. Pattern syntax and the choices behind the lists: src/domain/urgency/README.md.
 */
export const TRADES = ['plumbing', 'hvac', 'electrical', 'locksmith', 'general'] as const;
export type Trade = (typeof TRADES)[number];

export type RuleGroup = 'common' | Exclude<Trade, 'general'> | 'business';

export interface UrgencyRule {
  /** Stable id stored with every decision, e.g. `plumbing.burst-pipe`; `business.extra` for a business's own phrases. */
  readonly id: string;
  readonly group: RuleGroup;
  readonly patterns: readonly string[];
  readonly lifeSafety: boolean;
}

const rule = (id: string, group: RuleGroup, patterns: string[], lifeSafety = false): UrgencyRule => ({ id, group, patterns, lifeSafety });

export const DEFAULT_RULES: readonly UrgencyRule[] = [
  // ---- common: every trade ----
  rule(
    'common.gas',
    'common',
    [
      'gas leak*',
      'leak* gas|propane',
      'gas|propane is? leaking',
      'smell* ... gas|propane !station* !bill*',
      'gas|propane smell*',
      'rotten egg*',
    ],
    true,
  ),
  rule(
    'common.carbon-monoxide',
    'common',
    [
      'carbon monoxide !detector* !alarm* !monitor* !sensor*',
      'carbon monoxide detector*|alarm*|monitor* ... going|goes|went|sounding|beeping',
      'co detector*|alarm*|monitor* ... going|goes|went|sounding|beeping',
    ],
    true,
  ),
  rule(
    'common.fire-smoke',
    'common',
    [
      'on fire',
      'caught|catching|catch fire',
      'electrical|house|kitchen|small fire',
      "there's|is a fire !alarm* !place* !pit* !extinguisher* !inspection* !sprinkler* !code* !safety",
      'smoke is? coming|pouring',
      'smoke from|in the? outlet*|panel*|wall*|breaker*|attic|furnace|vent*',
      'smoke alarm*|detector* ... going|went|sounding',
      'burning smell*',
      'smell* ... burning|burnt|burned|smoke',
    ],
    true,
  ),
  rule('common.emergency', 'common', ['emergency !service* !rate* !fee* !charge* !number* !line* !contact* !plan*', 'urgent', 'urgently']),

  // ---- plumbing ----
  rule('plumbing.burst-pipe', 'plumbing', [
    'burst|bursting|busted|broken pipe*',
    'pipe* ... burst*|bust|busted|broke',
    'frozen pipe*',
    'pipe* ... froze|frozen',
    'water main* ... break*|broke*|burst*',
  ]),
  rule('plumbing.flooding', 'plumbing', [
    'flooding',
    'flooded',
    'flood !insurance !zone* !light* !plain* !lamp* !vent*',
    'water everywhere',
    'water is? pouring|gushing|spraying|shooting',
    'gushing|spraying water',
    'water ... through the? ceiling',
    'ceiling ... leak*|dripping|collaps*',
  ]),
  rule('plumbing.sewage', 'plumbing', [
    'sewage !pump* !ejector*',
    'sewer ... back*',
    'toilet* ... overflow*',
    'overflowing toilet*',
  ]),
  rule('plumbing.cannot-shut-off', 'plumbing', [
    "can't|cannot shut|turn ... water off",
    "can't|cannot shut|turn off the? water",
    "water won't|wont shut|turn off",
    "water won't|wont stop",
    'no water !pressure !heater* !damage !bill*',
    'no running water',
  ]),

  // ---- hvac ----
  rule('hvac.no-heat', 'hvac', [
    'no heat !pump* !strip* !problem* !issue* !exchanger*',
    'no heating !problem* !issue*',
    'without heat',
    "heat|heat's|heating|furnace|heater|boiler is? out",
    'heat|heating|furnace|heater|boiler went out',
    "heat|heating|furnace|heater|boiler is? not|isn't|stopped|quit|won't|wont working|work|heating|running|starting|start|come|turn",
    'furnace|heater|boiler died|quit|broke',
    'cracked heat exchanger*',
    'heat exchanger* ... crack*',
  ]),
  rule('hvac.no-cooling', 'hvac', ['no ac|cooling', 'no air conditioning', "ac|conditioner|conditioning is? not|isn't|stopped|quit|won't|wont working|work|cooling|running|turn"]),

  // ---- electrical ----
  rule('electrical.sparks', 'electrical', ['spark|sparks|sparking|sparked !plug* !nevada', 'arcing']),
  rule('electrical.overheating', 'electrical', [
    'outlet*|panel*|breaker*|wire|wires|wiring|switch|switches|plug|plugs ... smoking|smoke|melt*|scorch*',
    'melted|melting|scorched|smoking outlet*|panel*|breaker*|wire|wires|wiring|switch|switches|plug|plugs',
  ]),
  rule('electrical.shock', 'electrical', ['got|getting|get shocked', 'shocked me|him|her|us|them', 'electric* shock*', 'electrocut*']),
  rule('electrical.downed-line', 'electrical', ['power|electric* line* ... down', 'downed line*|wire|wires', 'live wire|wires', 'wire|wires ... hanging']),
  rule('electrical.no-power', 'electrical', ['no power|electricity', 'lost power', 'without power', 'power is|went out']),

  // ---- locksmith ----
  rule('locksmith.lockout', 'locksmith', [
    'locked|lock out',
    'lockout',
    'locked|lock myself|me|us|him|her|them out',
    'locked|locking my? keys|key in|inside',
    "can't|cannot get in|inside|into !touch",
  ]),
  rule('locksmith.trapped', 'locksmith', ['child|children|kid|kids|baby|son|daughter|dog|someone|somebody ... locked|stuck|trapped in|inside', 'trapped inside|in']),
  rule('locksmith.break-in', 'locksmith', [
    'break in|into',
    'broke|broken in|into',
    'burglar* !alarm*',
    'kicked in',
    "can't|cannot|won't|wont lock|close my|the? door|front|back",
    "door ... won't|wont|doesn't|can't lock|close",
  ]),
];

/** The rule groups a business of this trade uses. */
export function groupsFor(trade: Trade): readonly RuleGroup[] {
  return trade === 'general' ? ['common', 'plumbing', 'hvac', 'electrical', 'locksmith'] : ['common', trade];
}
