/*
 * Whisper's languages by name. OpenAI, Groq and whisper.cpp report the detected language as a lowercase name
 * ("english"); Fireworks may report a code ("en"). Both normalise to the code, and a configured language is sent
 * as the code whichever way it was written.
 */
const WHISPER_LANGUAGES: Record<string, string> = {
  en: 'english', zh: 'chinese', de: 'german', es: 'spanish', ru: 'russian', ko: 'korean', fr: 'french', ja: 'japanese',
  pt: 'portuguese', tr: 'turkish', pl: 'polish', ca: 'catalan', nl: 'dutch', ar: 'arabic', sv: 'swedish', it: 'italian',
  id: 'indonesian', hi: 'hindi', fi: 'finnish', vi: 'vietnamese', he: 'hebrew', uk: 'ukrainian', el: 'greek', ms: 'malay',
  cs: 'czech', ro: 'romanian', da: 'danish', hu: 'hungarian', ta: 'tamil', no: 'norwegian', th: 'thai', ur: 'urdu',
  hr: 'croatian', bg: 'bulgarian', lt: 'lithuanian', la: 'latin', mi: 'maori', ml: 'malayalam', cy: 'welsh', sk: 'slovak',
  te: 'telugu', fa: 'persian', lv: 'latvian', bn: 'bengali', sr: 'serbian', az: 'azerbaijani', sl: 'slovenian',
  kn: 'kannada', et: 'estonian', mk: 'macedonian', br: 'breton', eu: 'basque', is: 'icelandic', hy: 'armenian',
  ne: 'nepali', mn: 'mongolian', bs: 'bosnian', kk: 'kazakh', sq: 'albanian', sw: 'swahili', gl: 'galician',
  mr: 'marathi', pa: 'punjabi', si: 'sinhala', km: 'khmer', sn: 'shona', yo: 'yoruba', so: 'somali', af: 'afrikaans',
  oc: 'occitan', ka: 'georgian', be: 'belarusian', tg: 'tajik', sd: 'sindhi', gu: 'gujarati', am: 'amharic',
  yi: 'yiddish', lo: 'lao', uz: 'uzbek', fo: 'faroese', ht: 'haitian creole', ps: 'pashto', tk: 'turkmen', nn: 'nynorsk',
  mt: 'maltese', sa: 'sanskrit', lb: 'luxembourgish', my: 'myanmar', bo: 'tibetan', tl: 'tagalog', mg: 'malagasy',
  as: 'assamese', tt: 'tatar', haw: 'hawaiian', ln: 'lingala', ha: 'hausa', ba: 'bashkir', jw: 'javanese',
  su: 'sundanese', yue: 'cantonese',
}

const CODE_BY_NAME: Record<string, string> = Object.fromEntries(Object.entries(WHISPER_LANGUAGES).map(([code, name]) => [name, code]))
// Names other services use for the same languages.
Object.assign(CODE_BY_NAME, { burmese: 'my', castilian: 'es', flemish: 'nl', haitian: 'ht', letzeburgesch: 'lb', mandarin: 'zh', moldavian: 'ro', moldovan: 'ro', panjabi: 'pa', pushto: 'ps', sinhalese: 'si', valencian: 'ca' })

/** "english", "English", "en", "EN", "pt-BR" -> "en" / "pt-br"; null for nothing; unknown names pass through lowercased. */
export function languageCode(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null
  const v = value.trim().toLowerCase()
  if (v === '') return null
  return CODE_BY_NAME[v] ?? v
}

/** The code to send: the primary subtag of a configured language ("pt-BR" -> "pt"), except the zh-hans/zh-hant forms. */
export function requestLanguage(value: string | null): string | null {
  const code = languageCode(value)
  if (code === null) return null
  if (code === 'zh-hans' || code === 'zh-hant') return code
  return code.split(/[-_]/)[0] ?? code
}

export function languageName(code: string): string | undefined {
  return WHISPER_LANGUAGES[code]
}

export function isWhisperLanguage(code: string): boolean {
  return code in WHISPER_LANGUAGES
}
