/**
 * What general sentiment vocabularies miss, per language, written from what the words mean in
 * support conversations (not fitted to any evaluation set). Valences are in AFINN units (-5..5),
 * like lexicons.ts. All keys are folded at build time, so accents are optional in the lists.
 */
import { splitElision } from "./elision";
import { foldWord } from "./text-cleanup";

/** words a negation window spans by default (contractions like "don't" included) */
export const NEGATION_WINDOW = 3;

export interface RawRules {
  /** words that open a negation window ("not", "never", "geen") */
  negators: string;
  /** negators whose scope is only the next word (English "no": "no good", but "No, I love it") */
  shortNegators?: string;
  /** language puts the negator after the verb it negates ("werkt niet", "funktioniert nicht") */
  negatesBackward?: boolean;
  /** multipliers for the next sentiment word: >1 intensifies, <1 dampens; 2-word keys allowed */
  modifiers: Record<string, number>;
  /** words after which the rest of the sentence weighs more ("but") */
  contrast: string;
  /** multiword phrases with their own valence, matched on folded words including stop words */
  phrases: Record<string, number>;
  /** single words whose support meaning differs from the general vocabulary (override it) */
  words: Record<string, number>;
  /** neutral words that turn negative when negated ("didn't work", "never arrived") */
  negatable: string;
  /**
   * a negation ends at these words: it is about them, not about what follows ("can't stop
   * smiling" is smiling); they say nothing themselves there
   */
  negationEnders?: string;
  /**
   * negators after which these words turn the negation into emphasis: "never been so happy",
   * "never seen such a mess" (VADER's "never so/this" rule, Hutto & Gilbert 2014)
   */
  emphatic?: { negators: string; words: string };
  /**
   * comparatives: negated, they mean "nothing is more so", i.e. the superlative ("couldn't be
   * better", "never been happier", "no better place"), except after a copula negation, where
   * they are plainly negated ("it isn't better")
   */
  comparatives?: { words: string; copulaNegators: string };
}

const EN: RawRules = {
  shortNegators: "no",
  negators:
    "not never neither nor none nobody nothing nowhere without cannot can't don't doesn't didn't isn't aren't wasn't weren't couldn't won't wouldn't shouldn't haven't hasn't hadn't mustn't needn't ain't dont doesnt didnt isnt arent wasnt werent couldnt wouldnt shouldnt havent hasnt hadnt aint cant rarely seldom least",
  modifiers: {
    very: 1.3, really: 1.3, so: 1.3, extremely: 1.5, incredibly: 1.5, absolutely: 1.4, totally: 1.3,
    completely: 1.3, utterly: 1.5, highly: 1.3, truly: 1.3, too: 1.2, most: 1.2, such: 1.2, seriously: 1.3,
    especially: 1.2, exceptionally: 1.5, insanely: 1.4, ridiculously: 1.4, terribly: 1.4, awfully: 1.4,
    slightly: 0.6, somewhat: 0.7, "kind of": 0.7, "sort of": 0.7, kinda: 0.7, sorta: 0.7, "a bit": 0.7,
    "a little": 0.7, fairly: 0.8, barely: 0.5, hardly: 0.5, marginally: 0.6, mildly: 0.6, "not very": -0.5,
    // counterfactuals: "could have been better" is a complaint, "could have been worse" mild praise
    "could have": -0.5, "should have": -0.5, "would have": -0.5, "could've": -0.5, "should've": -0.5,
    "would've": -0.5, "could be": -0.5,
    // more degree adverbs of everyday English (boosters and dampeners as in VADER's lists)
    considerably: 1.2, decidedly: 1.2, deeply: 1.3, enormously: 1.4, entirely: 1.3, fully: 1.2, greatly: 1.3,
    hugely: 1.4, intensely: 1.4, majorly: 1.3, particularly: 1.2, purely: 1.2, quite: 1.1, remarkably: 1.3,
    substantially: 1.2, thoroughly: 1.3, tremendously: 1.4, unbelievably: 1.4, unusually: 1.2, amazingly: 1.3,
    super: 1.3, mega: 1.3, hella: 1.3, uber: 1.3, "way too": 1.3,
    // swearing and "pretty" before a sentiment word intensify it rather than carry their own
    // valence ("damn good", "fucking awesome", "pretty bad"); alone they keep their valence
    damn: 1.3, fucking: 1.4, freaking: 1.3, freakin: 1.3, effing: 1.3, fricking: 1.3, frickin: 1.3,
    friggin: 1.3, frigging: 1.3, bloody: 1.3, pretty: 1.1,
    almost: 0.6, partly: 0.7, scarcely: 0.5, occasionally: 0.7, kindof: 0.7, sortof: 0.7, "a tad": 0.7,
    // "at least" is not a negation ("least" is)
    "at least": 1,
  },
  contrast: "but however",
  phrases: {
    "still waiting": -2.5, "still wait": -2.5, "still no": -2, "on hold": -2, "no response": -2.5, "no reply": -2.5,
    "no answer": -2, "no one answered": -2.5, "no update": -2, "no updates": -2, "no help": -2.5,
    "cancel my account": -2.5, "cancel my subscription": -2.5, "cancelling my account": -2.5,
    "canceling my account": -2.5, "cancelling my subscription": -2.5, "canceling my subscription": -2.5,
    "close my account": -2, "waste of time": -3, "waste of money": -3, "never again": -3, "hung up": -2.5,
    "hang up": -2, "charged twice": -2.5, "double charged": -2.5, "keeps crashing": -2.5, "run around": -2,
    "runaround": -2, "for hours": -1.5, "for days": -1.5, "for weeks": -1.5, "what a joke": -2.5,
    "thanks for nothing": -2.5, "yeah right": -1.5, "not happy": -2.5, "fed up": -2.5, "sick of": -2.5,
    "thanks for the quick help": 3.5, "thanks for the quick response": 3, "thanks for the fast response": 3,
    "thanks for the help": 2.5, "thank you for your help": 2.5, "thanks for your help": 2.5,
    "thank you for the help": 2.5, "quick response": 2, "fast response": 2, "quick reply": 2, "quick help": 2.5,
    "well done": 2.5, "works now": 2, "working now": 2, "working again": 2, "works again": 2,
    "up and running": 1.5, "sorted out": 1.5, "above and beyond": 3, "out of their way": 2.5,
    "out of his way": 2.5, "out of her way": 2.5, "problem solved": 2, "issue resolved": 2, "no problem": 1,
    "no worries": 1, "no issues": 1, "no complaints": 1.5, "can't complain": 1.5, "cannot complain": 1.5,
    "couldn't be happier": 3, "could not be happier": 3, "can't wait": 2, "cant wait": 2,
    "can't thank you enough": 3, "keep up the good work": 3,
    "stopped working": -2.5, "quit working": -2.5, "stopped responding": -2, "fell apart": -2.5,
    "broke after": -2, "don't bother": -2, "do not bother": -2, "don't buy": -2.5, "do not buy": -2.5,
    "don't waste your money": -3, "do not waste your money": -3, "don't waste your time": -3,
    "do not waste your time": -3, "waste your money": -3, "waste your time": -3, "money back": -1.5,
    // review idioms
    "must see": 2.5, "must try": 2, "hit the spot": 2.5, "spot on": 2.5, "top notch": 3, "second to none": 3,
    "five stars": 3, "5 stars": 3, "one star": -2, "1 star": -2, "zero stars": -3, "0 stars": -3, "thumbs up": 2,
    "thumbs down": -2, "worth every penny": 3, "worth the wait": 2, "stay away": -2.5, "steer clear": -2.5,
    "nothing special": -1.5, "so so": -1, "rip off": -2.5, "ripped off": -2.5, "fell asleep": -2,
    "walked out": -2, "be back": 1.5, "come back": 1.5, "coming back": 1.5, "epic fail": -3,
    // "not" that negates nothing: "not only good but great", "not to mention the view", "good, if
    // not great", "not gonna lie, ..." (no valence of their own; they only keep "not" from opening
    // a negation window)
    "not only": 0, "not just": 0, "not merely": 0, "not simply": 0, "not to mention": 0, "if not": 0,
    "why not": 0, "or not": 0, "not gonna lie": 0, "not going to lie": 0, "cannot wait": 2, "can not wait": 2,
    "couldn't care less": -1.5, "could not care less": -1.5,
    // astonishment, not negation: "can't believe they fired him" is about the firing
    "can't believe": 0, "cannot believe": 0, "can not believe": 0, "couldn't believe": 0, "could not believe": 0,
    "don't mind": 1, "do not mind": 1, "wouldn't mind": 1,
    // praise idioms whose words are negative alone
    "killing it": 2.5, "killed it": 2.5, "kill it": 2, "nailed it": 2.5, "nail it": 2, "crushed it": 2.5,
    "crushing it": 2.5, "rocked it": 2.5,
    // down as broken or low ("the site is down", "feeling down", "let me down")
    "is down": -1.5, "was down": -1.5, "are down": -1.5, "were down": -1.5, "went down": -1.5, "goes down": -1.5,
    "keeps going down": -2, "feeling down": -2, "feel down": -2, "let me down": -2.5, "let us down": -2.5,
    "lets me down": -2.5, "letting me down": -2.5, "so done": -2,
    // disbelief at something bad ("are you kidding me?", "you must be joking")
    "kidding me": -2, "must be kidding": -2, "must be joking": -2,
  },
  words: {
    // request markers in support text, not feelings
    help: 0, please: 0, pls: 0, plz: 0,
    // "like" is as often a preposition ("looks like") as a verb; keep half its weight
    like: 1,
    waiting: -1, delayed: -2, delay: -1.5, delays: -1.5, cancelled: -1.5, canceled: -1.5, late: -1.5,
    resolved: 2, fixed: 1.5, solved: 2, quick: 1.5, quickly: 1.5, prompt: 1, promptly: 1.5, smooth: 1.5,
    seamless: 2, helpful: 2, rude: -2.5, useless: -2.5, unhelpful: -2.5, frustrated: -2, frustrating: -2,
    disappointed: -2, disappointing: -2, overcharged: -2.5, crash: -2, crashes: -2, crashed: -2,
    crashing: -2, bug: -1, buggy: -2, glitch: -1.5, outage: -2, stuck: -2, missing: -1.5, stranded: -2.5,
    unreachable: -2, unresponsive: -2, slow: -1.5, broken: -2, error: -1, errors: -1, refund: 0,
    // social-media interjections and slang AFINN lacks
    lol: 1.5, lmao: 1.5, rofl: 1.5, haha: 1.5, hahaha: 2, hehe: 1, yay: 2.5, woohoo: 2.5, woot: 2,
    xoxo: 2.5, xd: 1.5, luv: 3, ily: 3, gr8: 3, thx: 2, ty: 2, tysm: 3, kudos: 2.5, ugh: -2, argh: -2,
    meh: -1, wtf: -2.5, smh: -1.5, fml: -2.5, ffs: -2.5, bummer: -2, yikes: -1.5, booo: -2, boo: -1.5,
    awful: -3, terrible: -3, horrible: -3, worst: -3, best: 3, excellent: 3, amazing: 3.5, fantastic: 3.5,
    lovely: 3, perfect: 3, ok: 0.5, okay: 0.5, fine: 1, decent: 1.5, mediocre: -1.5, poor: -2, poorly: -2,
    junk: -2.5, garbage: -3, trash: -2.5, crap: -2.5, flimsy: -2, cheap: -1, cheaply: -1.5, defective: -2.5,
    overpriced: -2, unusable: -2.5, unreliable: -2, reliable: 2, sturdy: 2, comfortable: 2, uncomfortable: -2,
    tasty: 2.5, delicious: 3, bland: -1.5, tasteless: -2, stale: -2, soggy: -2, cold: 0, worthless: -3,
    recommend: 2, recommended: 2, disappointment: -2.5, waste: -2.5, wasted: -2.5, returned: -1,
    refunded: 0.5, works: 0.5, worked: 0.5, fast: 1, quality: 0.5, gorgeous: 3, happier: 2.5, blessed: 3,
    incredible: 3, relaxing: 2, fave: 2, rocks: 2, epic: 2.5, legendary: 3, legit: 1.5, stoked: 3,
    pumped: 2.5, psyched: 2.5, abysmal: -3.5, nightmare: -3, hassle: -2, sucked: -2.5, dammit: -2, kisses: 2,
    // review-site and app-store vocabulary AFINN lacks
    overcooked: -2, greasy: -1.5, salty: -1, burnt: -2, inedible: -3, yum: 2.5, flavorful: 2.5, flavourful: 2.5,
    flavorless: -2, crispy: 1, mouthwatering: 3, pricey: -1, reasonable: 1, attentive: 2, laggy: -2,
    freezes: -2, intuitive: 2, clunky: -2, snappy: 1.5, knowledgeable: 2, professional: 1.5, efficient: 2,
    painless: 2, outdated: -1.5, convenient: 1.5,
    // more social-media slang and interjections
    fab: 3, ew: -2, eww: -2, yuck: -2.5, sucky: -2, grr: -2, grrr: -2, dang: -1.5, darn: -1.5, bleh: -1.5,
    hooray: 3, hurray: 3, yippee: 3, whoop: 2, aww: 2, lolz: 1.5, lulz: 1, xx: 2, bff: 2, giggle: 2, giggles: 2,
    grin: 2, sob: -2, gutted: -3, chuffed: 3, unlucky: -2, lose: -2, comfy: 2, cozy: 2, cosy: 2, ripoff: -2.5,
    // inflections of vocabulary words the vocabulary lacks
    friends: 1, lovers: 2, lover: 2, fans: 2, gifts: 2, prayers: 1, laughter: 2, xp: 1,
    heh: 1, bummed: -2, stressful: -2, cutie: 2, sweetie: 2, sux: -3, awesomeness: 3,
    lacks: -1.5, lacking: -1.5, lacked: -1.5, happily: 2, thankfully: 1.5, unfortunately: -1.5,
    // more review vocabulary
    overrated: -2, underrated: 1.5, subpar: -2, lackluster: -2, lacklustre: -2, predictable: -1, cliche: -1.5,
    cliched: -1.5, unwatchable: -3, cheesy: -1, corny: -1, tedious: -2, amateurish: -2, refreshing: 2,
    touching: 2, captivating: 3, engaging: 2, authentic: 1.5, rubbish: -2.5, loveable: 3, unlikable: -2,
    unenjoyable: -2, watchable: 1, uninteresting: -2, witty: 2, laughable: -2, unimpressive: -2, impeccable: 3,
    nicely: 2, horribly: -3, disappointingly: -2, rushed: -1, stellar: 3, phenomenal: 4, exceptional: 3,
    extraordinary: 3, considerate: 2, welcoming: 2, juicy: 1.5, oily: -1.5, burned: -1.5,
    // frequent misspellings of strong words
    dissapointed: -2, dissapointing: -2, disapointed: -2, disapointing: -2, recomend: 2, terrable: -3,
  },
  negatable:
    "buy purchase recommend work works working worked help helped helping respond responded responding reply replied answer answered arrive arrived load loads loading open opens receive received get got fix fixed resolve solve call called show showed come came refund refunded deliver delivered send sent connect connects sync start starts sleep slept",
  negationEnders: "stop stops stopped stopping quit quits quitting",
  emphatic: { negators: "never", words: "so such this" },
  comparatives: {
    // -ier comparatives of vocabulary adjectives are found by form (sentiment.ts)
    words: "better worse greater nicer finer sweeter cooler kinder prettier lovelier",
    copulaNegators: "not isn't aren't wasn't weren't ain't isnt arent wasnt werent aint",
  },
};

const NL: RawRules = {
  negators: "niet geen nooit niets niemand nergens zonder noch",
  negatesBackward: true,
  modifiers: {
    heel: 1.3, erg: 1.3, zeer: 1.3, echt: 1.2, super: 1.3, enorm: 1.4, ontzettend: 1.4, zo: 1.2, te: 1.2,
    vreselijk: 1.4, "een beetje": 0.7, beetje: 0.7, enigszins: 0.7, nogal: 0.8, wat: 0.9, amper: 0.5,
  },
  contrast: "maar echter",
  phrases: {
    "nog steeds wachten": -2.5, "wacht nog steeds": -2.5, "wachten nog steeds": -2.5, "nog steeds geen": -2,
    "in de wacht": -2, "geen reactie": -2.5, "geen antwoord": -2.5, "geen hulp": -2.5, "account opzeggen": -2.5,
    "abonnement opzeggen": -2.5, "zonde van de tijd": -3, "nooit meer": -3, "dubbel betaald": -2.5,
    "bedankt voor de snelle hulp": 3.5, "dank voor de snelle hulp": 3.5, "bedankt voor de hulp": 2.5,
    "snelle reactie": 2, "snel geholpen": 2.5, "goed geholpen": 2.5, "werkt weer": 2, "geen probleem": 1,
  },
  words: {
    help: 0, alstublieft: 0, aub: 0, graag: 0, opgelost: 2, verholpen: 2, vertraagd: -2, vertraging: -1.5,
    geannuleerd: -1.5, traag: -1.5, kapot: -2, storing: -2, onbeleefd: -2.5, nutteloos: -2.5, snel: 1,
    behulpzaam: 2, vriendelijk: 2, bedankt: 2, dank: 2, teleurgesteld: -2.5, teleurstellend: -2.5,
    belachelijk: -2.5, waardeloos: -3, klote: -3, top: 2, prima: 1.5, super: 2.5, geweldig: 3,
  },
  negatable: "werkt werken werkte helpt hielp geholpen reageert reageren gereageerd antwoordt ontvangen aangekomen geleverd opgelost teruggebeld",
};

const DE: RawRules = {
  negators: "nicht kein keine keinen keinem keiner keines nie niemals nichts niemand ohne weder",
  negatesBackward: true,
  modifiers: {
    sehr: 1.3, wirklich: 1.2, extrem: 1.5, total: 1.3, absolut: 1.4, echt: 1.2, so: 1.2, zu: 1.2,
    äußerst: 1.5, besonders: 1.2, unglaublich: 1.5, "ein bisschen": 0.7, bisschen: 0.7, etwas: 0.7, kaum: 0.5,
    leicht: 0.7, ziemlich: 1.1,
  },
  contrast: "aber jedoch allerdings",
  phrases: {
    "warte immer noch": -2.5, "warten immer noch": -2.5, "immer noch keine": -2, "in der warteschleife": -2,
    "keine antwort": -2.5, "keine rückmeldung": -2.5, "keine reaktion": -2.5, "keine hilfe": -2.5,
    "konto kündigen": -2.5, "abo kündigen": -2.5, "vertrag kündigen": -2, "nie wieder": -3,
    "doppelt abgebucht": -2.5, "danke für die schnelle hilfe": 3.5, "vielen dank für die schnelle hilfe": 3.5,
    "danke für die hilfe": 2.5, "schnelle antwort": 2, "schnelle hilfe": 2.5, "funktioniert wieder": 2,
    "kein problem": 1,
  },
  words: {
    hilfe: 0, bitte: 0, gelöst: 2, behoben: 2, verspätet: -2, verspätung: -1.5, storniert: -1.5, kaputt: -2,
    störung: -2, langsam: -1.5, unfreundlich: -2.5, nutzlos: -2.5, zeitverschwendung: -3, schnell: 1,
    hilfsbereit: 2, freundlich: 2, danke: 2, enttäuscht: -2.5, enttäuschend: -2.5, lächerlich: -2.5,
    frechheit: -3, unverschämt: -3, super: 2.5, toll: 2.5, klasse: 2.5, prima: 2, ärgerlich: -2,
  },
  negatable: "funktioniert funktionieren funktionierte hilft geholfen antwortet geantwortet reagiert angekommen erhalten geliefert geht klappt gelöst",
};

const FR: RawRules = {
  negators: "ne n pas jamais rien sans aucun aucune ni",
  modifiers: {
    très: 1.3, vraiment: 1.3, trop: 1.2, extrêmement: 1.5, tellement: 1.3, super: 1.3, si: 1.2,
    absolument: 1.4, totalement: 1.3, complètement: 1.3, "un peu": 0.7, peu: 0.6, assez: 0.8, plutôt: 0.8,
    légèrement: 0.6,
  },
  contrast: "mais cependant pourtant toutefois",
  phrases: {
    "toujours en attente": -2.5, "attends toujours": -2.5, "attend toujours": -2.5, "en attente": -1.5,
    "pas de réponse": -2.5, "aucune réponse": -2.5, "sans réponse": -2.5, "pas d aide": -2.5,
    "résilier mon abonnement": -2.5, "fermer mon compte": -2, "perte de temps": -3, "plus jamais": -3,
    "merci pour aide rapide": 3.5, "merci pour votre aide": 2.5, "merci pour aide": 2.5, "réponse rapide": 2,
    "fonctionne à nouveau": 2, "pas de problème": 1, "pas mal": 1.5,
  },
  words: {
    aide: 0, svp: 0, résolu: 2, réglé: 1.5, retardé: -2, retard: -1.5, annulé: -1.5, panne: -2, lent: -1.5,
    impoli: -2.5, inutile: -2.5, rapide: 1.5, rapidement: 1.5, serviable: 2, merci: 2, déçu: -2.5,
    décevant: -2.5, nul: -2.5, ridicule: -2.5, inadmissible: -3, inacceptable: -3, génial: 3, super: 2.5,
  },
  negatable: "fonctionne marche aide aidé répond répondu reçu arrivé livré résolu",
};

const ES: RawRules = {
  negators: "no nunca jamás sin ni tampoco ningún ninguna ninguno nadie nada",
  modifiers: {
    muy: 1.3, realmente: 1.3, súper: 1.3, super: 1.3, tan: 1.2, demasiado: 1.2, extremadamente: 1.5,
    totalmente: 1.3, completamente: 1.3, bastante: 1.1, "un poco": 0.7, poco: 0.6, algo: 0.7, ligeramente: 0.6,
  },
  contrast: "pero sin embargo aunque",
  phrases: {
    "sigo esperando": -2.5, "seguimos esperando": -2.5, "todavía espero": -2.5, "aún espero": -2.5,
    "todavía esperando": -2.5, "en espera": -1.5, "sin respuesta": -2.5, "ninguna respuesta": -2.5,
    "sin ayuda": -2.5, "cancelar mi cuenta": -2.5, "cancelar mi suscripción": -2.5, "pérdida de tiempo": -3,
    "nunca más": -3, "cobrado dos veces": -2.5, "gracias por la ayuda rápida": 3.5,
    "gracias por la rápida ayuda": 3.5, "gracias por su ayuda": 2.5, "gracias por tu ayuda": 2.5,
    "gracias por la ayuda": 2.5, "respuesta rápida": 2, "funciona de nuevo": 2, "ya funciona": 2,
    "sin problema": 1, "ningún problema": 1,
  },
  words: {
    ayuda: 0, favor: 0, resuelto: 2, solucionado: 2, retrasado: -2, retraso: -1.5, cancelado: -1.5, roto: -2,
    lento: -1.5, grosero: -2.5, inútil: -2.5, rápido: 1.5, rápida: 1.5, amable: 2, gracias: 2, decepcionado: -2.5,
    decepcionante: -2.5, pésimo: -3, fatal: -3, genial: 3,
  },
  negatable: "funciona funcionan funcionó ayudó ayudaron responden respondieron contestan contestaron llegó llega recibido recibí resuelto",
};

const PT: RawRules = {
  negators: "não nao nunca jamais sem nem nenhum nenhuma ninguém nada",
  modifiers: {
    muito: 1.3, realmente: 1.3, super: 1.3, tão: 1.2, demais: 1.2, extremamente: 1.5, totalmente: 1.3,
    completamente: 1.3, bastante: 1.1, "um pouco": 0.7, pouco: 0.6, meio: 0.7, ligeiramente: 0.6,
  },
  contrast: "mas porém contudo entretanto",
  phrases: {
    "ainda esperando": -2.5, "ainda estou esperando": -2.5, "continuo esperando": -2.5, "ainda aguardando": -2.5,
    "em espera": -1.5, "sem resposta": -2.5, "nenhuma resposta": -2.5, "sem ajuda": -2.5,
    "cancelar minha conta": -2.5, "cancelar minha assinatura": -2.5, "perda de tempo": -3, "nunca mais": -3,
    "cobrado duas vezes": -2.5, "obrigado pela ajuda rápida": 3.5, "obrigada pela ajuda rápida": 3.5,
    "obrigado pela ajuda": 2.5, "obrigada pela ajuda": 2.5, "resposta rápida": 2, "voltou a funcionar": 2,
    "sem problema": 1,
  },
  words: {
    ajuda: 0, favor: 0, resolvido: 2, resolvida: 2, atrasado: -2, atraso: -1.5, cancelado: -1.5, quebrado: -2,
    lento: -1.5, grosseiro: -2.5, inútil: -2.5, rápido: 1.5, rápida: 1.5, atencioso: 2, obrigado: 2,
    obrigada: 2, decepcionado: -2.5, péssimo: -3, horrível: -3, ótimo: 3,
  },
  negatable: "funciona funcionam funcionou ajudou ajudaram respondem responderam chegou recebi recebido resolveu resolvido",
};

const IT: RawRules = {
  negators: "non mai senza nessuno nessuna nessun niente nulla né",
  modifiers: {
    molto: 1.3, davvero: 1.3, veramente: 1.3, troppo: 1.2, estremamente: 1.5, super: 1.3, così: 1.2,
    assolutamente: 1.4, totalmente: 1.3, completamente: 1.3, "un po": 0.7, poco: 0.6, abbastanza: 0.8,
    leggermente: 0.6,
  },
  contrast: "ma però tuttavia",
  phrases: {
    "ancora in attesa": -2.5, "sto ancora aspettando": -2.5, "aspetto ancora": -2.5, "in attesa": -1.5,
    "nessuna risposta": -2.5, "senza risposta": -2.5, "disdire abbonamento": -2.5, "chiudere il mio account": -2,
    "perdita di tempo": -3, "mai più": -3, "grazie per aiuto rapido": 3.5, "grazie per aiuto": 2.5,
    "grazie per il vostro aiuto": 2.5, "risposta rapida": 2, "funziona di nuovo": 2, "nessun problema": 1,
  },
  words: {
    aiuto: 0, favore: 0, risolto: 2, risolta: 2, ritardo: -1.5, annullato: -1.5, rotto: -2, lento: -1.5,
    maleducato: -2.5, inutile: -2.5, rapido: 1.5, rapida: 1.5, gentile: 2, grazie: 2, deluso: -2.5,
    deludente: -2.5, pessimo: -3, vergogna: -3, ottimo: 3, fantastico: 3,
  },
  negatable: "funziona funzionano funzionato aiutato rispondono risposto arrivato ricevuto risolto",
};

const CA: RawRules = {
  negators: "no mai sense cap ningú res ni",
  modifiers: { molt: 1.3, realment: 1.3, massa: 1.2, super: 1.3, totalment: 1.3, "una mica": 0.7, poc: 0.6 },
  contrast: "però tanmateix",
  phrases: {
    "encara esperant": -2.5, "sense resposta": -2.5, "cap resposta": -2.5, "pèrdua de temps": -3,
    "gràcies per ajuda": 2.5, "resposta ràpida": 2, "cap problema": 1,
  },
  words: { ajuda: 0, resolt: 2, retard: -1.5, cancel·lat: -1.5, gràcies: 2, ràpid: 1.5 },
  negatable: "funciona funcionen ajudat respon respost arribat rebut",
};

const GL: RawRules = {
  negators: "non nunca sen ningún ningunha ninguén nada nin",
  modifiers: { moi: 1.3, moito: 1.3, realmente: 1.3, demasiado: 1.2, "un pouco": 0.7, pouco: 0.6 },
  contrast: "pero mais",
  phrases: {
    "aínda agardando": -2.5, "sen resposta": -2.5, "ningunha resposta": -2.5, "perda de tempo": -3,
    "grazas pola axuda": 2.5, "resposta rápida": 2, "ningún problema": 1,
  },
  words: { axuda: 0, resolto: 2, atraso: -1.5, cancelado: -1.5, grazas: 2, rápido: 1.5 },
  negatable: "funciona funcionan axudou responden respondeu chegou recibín",
};

const EU: RawRules = {
  negators: "ez ezta inoiz gabe ezer inor",
  modifiers: { oso: 1.3, benetan: 1.3, guztiz: 1.3, izugarri: 1.4, "pixka bat": 0.7 },
  contrast: "baina ordea",
  phrases: { "erantzunik ez": -2.5, "oraindik zain": -2.5, "denbora galtzea": -3, "eskerrik asko": 2.5 },
  words: { laguntza: 0, konponduta: 2, konpondu: 1.5, atzerapena: -1.5, bertan: 0 },
  negatable: "dabil funtzionatzen lagundu erantzun iritsi jaso",
};

const RAW_RULES: Record<string, RawRules> = { en: EN, nl: NL, de: DE, fr: FR, es: ES, pt: PT, it: IT, ca: CA, gl: GL, eu: EU };

/** Rules with every key folded, ready for lookups. */
export interface SentimentRules {
  /** negators and the number of words their window spans */
  negators: ReadonlyMap<string, number>;
  negatesBackward: boolean;
  /** single-word modifiers */
  modifiers: ReadonlyMap<string, number>;
  /** two-word modifiers keyed by their first word, then second word */
  modifiers2: ReadonlyMap<string, ReadonlyMap<string, number>>;
  contrast: ReadonlySet<string>;
  /** phrases keyed by first word; each entry is the remaining words and the valence, longest first */
  phrases: ReadonlyMap<string, ReadonlyArray<{ rest: string[]; valence: number; text: string }>>;
  words: ReadonlyMap<string, number>;
  negatable: ReadonlySet<string>;
  negationEnders: ReadonlySet<string>;
  emphaticNegators: ReadonlySet<string>;
  emphaticWords: ReadonlySet<string>;
  comparatives: ReadonlySet<string>;
  copulaNegators: ReadonlySet<string>;
}

const foldedSet = (s: string) => new Set(s.split(/\s+/).filter(Boolean).map(foldWord));
/** Phrase words as the analyzer sees them (French/Italian/Catalan elisions split, see wordsOf). */
const foldPhrase = (p: string, language: string) =>
  p.split(/\s+/).filter(Boolean).flatMap((w) => splitElision(foldWord(w), language));

function build(raw: RawRules, language: string): SentimentRules {
  const modifiers = new Map<string, number>();
  const modifiers2 = new Map<string, Map<string, number>>();
  for (const [k, v] of Object.entries(raw.modifiers)) {
    const parts = foldPhrase(k, language);
    if (parts.length === 1) modifiers.set(parts[0]!, v);
    else {
      const m = modifiers2.get(parts[0]!) ?? new Map<string, number>();
      m.set(parts[1]!, v);
      modifiers2.set(parts[0]!, m);
    }
  }
  const phrases = new Map<string, Array<{ rest: string[]; valence: number; text: string }>>();
  for (const [p, valence] of Object.entries(raw.phrases)) {
    const [first, ...rest] = foldPhrase(p, language);
    if (!first || rest.length === 0) continue;
    const list = phrases.get(first) ?? [];
    list.push({ rest, valence, text: p });
    list.sort((a, b) => b.rest.length - a.rest.length);
    phrases.set(first, list);
  }
  const words = new Map<string, number>();
  for (const [w, v] of Object.entries(raw.words)) words.set(foldWord(w), v);
  return {
    negators: negatorsOf(raw),
    negatesBackward: raw.negatesBackward ?? false,
    modifiers,
    modifiers2,
    contrast: foldedSet(raw.contrast),
    phrases,
    words,
    negatable: foldedSet(raw.negatable),
    negationEnders: foldedSet(raw.negationEnders ?? ""),
    emphaticNegators: foldedSet(raw.emphatic?.negators ?? ""),
    emphaticWords: foldedSet(raw.emphatic?.words ?? ""),
    comparatives: foldedSet(raw.comparatives?.words ?? ""),
    copulaNegators: foldedSet(raw.comparatives?.copulaNegators ?? ""),
  };
}

function negatorsOf(raw: RawRules): Map<string, number> {
  const out = new Map<string, number>();
  for (const w of foldedSet(raw.negators)) out.set(w, NEGATION_WINDOW);
  for (const w of foldedSet(raw.shortNegators ?? "")) out.set(w, 1);
  return out;
}

const builtRules = new Map<string, SentimentRules>();

/** Folded rules for `language`, or `undefined` when we have none. Built once per process. */
export function rulesOf(language: string): SentimentRules | undefined {
  let r = builtRules.get(language);
  if (r) return r;
  const raw = RAW_RULES[language];
  if (!raw) return undefined;
  r = build(raw, language);
  builtRules.set(language, r);
  return r;
}
