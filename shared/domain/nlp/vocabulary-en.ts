/**
 * General English sentiment words that AFINN-165 lacks, on AFINN's scale (-5..5: about ±1 mild,
 * ±2 clear, ±3 strong). Our own list, written from what the words mean in everyday English (word
 * lists of affect, well-being, social-media slang and interjections), not from any evaluation
 * set; AFINN wins where it has a word, and support meanings (sentiment-rules.ts) win over both.
 *
 * Pleasant and unpleasant things and occasions get mild values, as AFINN gives some ("sunshine"
 * 2, "rainy" -1, "flu" -2). Left out on purpose: words whose sentiment depends on the topic
 * ("rain", "exam", "late"), words that are mostly something else, above all in support text
 * ("right", "mean", "kidding" as in "are you kidding me", "finally" as in "finally answered
 * after a week"), and inflections that the stem fallback and the -est/-ier/-ly rules already
 * find. Leisure words keep a mild value ("play" 1): negated they complain ("won't play").
 */
export const GENERAL_EN: Readonly<Record<string, number>> = {
  // affect and well-being
  sleepy: -1, hungry: -1, cranky: -2, grumpy: -2, irritable: -2, creepy: -2, depression: -2.5, heartache: -2.5,
  headache: -2, headaches: -2, migraine: -2, nausea: -2, puke: -2.5, sobs: -2, sobbing: -2.5, wept: -2,
  grieving: -2.5, saddening: -2.5, hateful: -3, resent: -2, resentful: -2, wrecked: -2, messy: -1.5,
  bugged: -1.5, concerning: -1, irritation: -2, bothering: -1.5, nuisance: -2, pest: -1.5, stressing: -2,
  overwhelmed: -2, panicking: -2.5, nightmares: -2.5, sadness: -2, loneliness: -2, lying: -2, phony: -2,
  hypocrite: -2.5, creep: -2, weirdo: -1.5, psycho: -2, puking: -2.5, diarrhea: -2, coughing: -1, aches: -1.5,
  wound: -1.5, bleeding: -2, jobless: -2, freezing: -1, sweaty: -1, smelly: -2, speechless: 1, awed: 2.5,
  intrigued: 1.5, gladly: 2, chirpy: 2, upbeat: 2, relax: 1.5, relaxed: 1.5, chill: 1, magical: 2.5, enchanting: 3, pleasing: 2, sentimental: 1,
  thrill: 3, thrilling: 3, tremendous: 3, spectacular: 3, genius: 2.5, talented: 2.5, skilled: 2,
  gentle: 2, harmless: 1, heal: 1.5, healing: 1.5, ideal: 2, innocent: 1,
  laidback: 1.5, merit: 1.5, nurture: 1.5, openminded: 2, outgoing: 1.5, precious: 2, privilege: 2,
  radiant: 2.5, sociable: 1.5, soulmate: 3, valuable: 2, worthwhile: 2, flirt: 1, flirting: 1, forgave: 1.5,
  virtue: 2, agitated: -2, excruciating: -3, gossip: -1.5, impolite: -2, insincere: -2, jaded: -1.5,
  maniac: -2, nag: -1.5, nagging: -1.5, neurotic: -2, paranoid: -2, petty: -2, rancid: -3, reluctant: -1,
  rigid: -1, smug: -1.5, snob: -2, tremble: -1.5, trite: -1.5, turmoil: -2, unfriendly: -2, unkind: -2,
  unwelcome: -2, vain: -1.5, villain: -2, whiny: -2, wimp: -1.5,
  // people and affection
  sweetheart: 2.5, darling: 2, babe: 1.5, cuddle: 2, cuddles: 2, cuddling: 2, snuggle: 2, snuggles: 2,
  hugging: 2, kissing: 2, muah: 2, mwah: 2, hugz: 2, luvs: 3, legend: 2.5, hottie: 2, romantic: 2, valentine: 1.5,
  valentines: 1.5, hubby: 1.5, wifey: 1.5, buddy: 1, pal: 1, homie: 1, homies: 1,
  // achievement and joy
  congratulated: 2, winners: 2, trophy: 2, championship: 1, victorious: 3, achieve: 2, achieved: 2,
  achievement: 2, pride: 2, gratitude: 2, enjoyment: 2, entertained: 2, entertainment: 1, giggling: 2,
  giggled: 2, grinning: 2, beaming: 2.5, glowing: 2, shining: 1.5, shiny: 1, brighter: 1.5, snug: 1.5, cuter: 2,
  organized: 1,
  // pleasant and unpleasant things and occasions (AFINN rates some: sunshine 2, rainy -1, flu -2)
  party: 1, partying: 1, holiday: 1, holidays: 1, vacation: 1.5, sunny: 1.5, birthday: 1.5, anniversary: 1.5,
  wedding: 1.5, christmas: 1.5, xmas: 1.5, festival: 1, concert: 1, dance: 1, dancing: 1.5, music: 1, beach: 1,
  weekend: 1, summer: 1, tgif: 2, friyay: 2, puppy: 2, puppies: 2, kitten: 2, kittens: 2, chocolate: 1,
  icecream: 1, surprise: 1, presents: 1, nap: 1, naps: 1, shopping: 1, bestie: 2, traffic: -1, homework: -1,
  dentist: -1, hospital: -1, cough: -1, storm: -1, hangover: -1.5, toothache: -2, allergies: -1, play: 1,
  playing: 1, flowers: 1.5, flower: 1, baby: 1, babies: 1, candy: 1, dessert: 1, cookies: 1, pizza: 1,
  rainbow: 1.5, sunset: 1, sunrise: 1, graduation: 2, graduated: 2, newborn: 1.5, virus: -1.5, surgery: -1.5,
  flood: -2, flooded: -2, bills: -1, taxes: -1, jail: -2, sunburn: -1.5, blister: -1, bruise: -1, bruised: -1.5,
  soreness: -1, exhausting: -2, tiring: -1.5, chores: -1, yell: -2, yelling: -2, yelled: -2, cursing: -2,
  argue: -1.5, arguing: -2, argument: -1.5, invited: 1.5, invitation: 1.5, reunion: 2, reunited: 2.5,
  forgiven: 1.5,
  // social-media slang and interjections
  thankyou: 2, lit: 2, dope: 2, yass: 2, yas: 2, slay: 2, slayed: 2, vibes: 1, cringe: -2, cringey: -2,
  cringy: -2, sus: -1, sketchy: -1.5, shady: -1.5, sleazy: -2, w00t: 2, ftw: 2, phew: 1, whew: 1, hmph: -1,
  doh: -1, gtfo: -2.5, stfu: -2.5, ilysm: 3, ilu: 3, bae: 1.5, hbd: 3, congratz: 2, np: 1, idc: -1, idgaf: -2,
  smdh: -1.5, wth: -1.5, spa: 1.5, massage: 1.5, woo: 2, whoo: 2, huzzah: 2, aw: 1.5, hehehe: 1.5, teehee: 1.5,
  weee: 2, whee: 2, yep: 1, yup: 1, delish: 3, scrumptious: 3, amusing: 2, neat: 1.5,
  // common spellings of vocabulary words
  gud: 3, kool: 1, awsome: 4, awesum: 4, thanx: 2, thnx: 2, tnx: 2, sry: -1, luvin: 3, luving: 3, luved: 3,
};
