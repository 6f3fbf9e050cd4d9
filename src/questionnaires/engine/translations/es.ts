import type { InstrumentTranslation } from './translation.types.js';

// Spanish renditions of the built-in instruments, keyed by linkId and by answer code, so the Spanish form keeps
// the English form's items, codes and weights (scoring cannot differ). Never edit a published wording here: a
// change must come from the publisher's text, with its source below.

/**
 * PHQ-9, Pfizer's Spanish (USA) version, "Cuestionario sobre la salud del paciente-9 (PHQ-9)", as distributed at
 * https://www.phqscreeners.com/ (Spanish for the USA; the PDF carries no version or date).
 * VERIFICATION: phqscreeners.com itself could not be read from this workspace. The text was transcribed from a
 * public copy of that PDF ("PatientHealthQuestionnaire9_Spanish",
 * https://es.studenta.com/content/129686767/patient-health-questionnaire-9-spanish, read 2026-12-02), and items
 * 1–9 were compared with a second, independent copy (a public repository's seed data): they agree word for word.
 * Compare with the PDF from phqscreeners.com before clinical use (status 'transcribed-from-copy').
 */
export const PHQ9_ES: InstrumentTranslation = {
  lang: 'es',
  questionnaireUrl: 'https://als-wellness.example.org/fhir/Questionnaire/phq-9',
  questionnaireVersion: '1.0.0',
  status: 'transcribed-from-copy',
  source: 'Pfizer Inc., PHQ-9 Spanish for the USA, https://www.phqscreeners.com/ (transcribed from a public copy of the PDF, read 2026-12-02)',
  title: 'Cuestionario sobre la salud del paciente-9 (PHQ-9)',
  copyright:
    'Elaborado por los doctores Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke y colegas, mediante una ' +
    'subvención educativa otorgada por Pfizer Inc. No se requiere permiso para reproducir, traducir, presentar o distribuir.',
  items: {
    'phq9-stem': 'Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?',
    'phq9-1': 'Poco interés o placer en hacer cosas',
    'phq9-2': 'Se ha sentido decaído(a), deprimido(a) o sin esperanzas',
    'phq9-3': 'Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado',
    'phq9-4': 'Se ha sentido cansado(a) o con poca energía',
    'phq9-5': 'Sin apetito o ha comido en exceso',
    'phq9-6': 'Se ha sentido mal con usted mismo(a) – o que es un fracaso o que ha quedado mal con usted mismo(a) o con su familia',
    'phq9-7': 'Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el periódico o ver la televisión',
    'phq9-8':
      '¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo contrario – muy inquieto(a) ' +
      'o agitado(a) que ha estado moviéndose mucho más de lo normal',
    'phq9-9': 'Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera',
    'phq9-10':
      'Si marcó cualquiera de los problemas, ¿qué tanta dificultad le han dado estos problemas para hacer su trabajo, ' +
      'encargarse de las tareas del hogar, o llevarse bien con otras personas?',
    // The module's own words (a hidden score item), not part of the published form.
    'phq9-total': 'Puntaje total del PHQ-9',
  },
  answers: {
    'LA6568-5': 'Ningún día',
    'LA6569-3': 'Varios días',
    'LA6570-1': 'Más de la mitad de los días',
    'LA6571-9': 'Casi todos los días',
    'difficulty-not-difficult': 'No ha sido difícil',
    'difficulty-somewhat': 'Un poco difícil',
    'difficulty-very': 'Muy difícil',
    'difficulty-extremely': 'Extremadamente difícil',
  },
};

/**
 * GAD-7 and WHO-5: NOT shipped in Spanish. Their published Spanish wording (Pfizer's GAD-7 "Spanish for the USA"
 * at https://www.phqscreeners.com/; the WHO-5 Spanish version of the Psychiatric Research Unit, Mental Health
 * Centre North Zealand, https://www.psykiatri-regionh.dk/who-5/) could not be read from this workspace, and the
 * public copies found disagree with one another. Rather than guess, these forms are shown in English, with a note
 * in the person's language, until the publisher's text is entered here with its source.
 * Searched again on 2026-12-02 (stored public web pages and public repositories): no copy of either publisher's
 * PDF was found. GAD-7: the copies disagree on the stem ("¿con qué frecuencia le han molestado…" / "…ha sentido
 * molestias…") and on items 1 and 5 ("nervioso(a), ansioso(a)" / "nervioso/a, intranquilo/a"; "permanecer
 * sentado(a) tranquilamente" / "permanecer quieto/a"), which mixes the US and Spain versions. WHO-5: application code
 * in several repositories agrees on the items and answers, but none is the PDF nor names the document it was taken
 * from, so none can be cited as the publisher's text.
 * Third search, 2026-12-02 (time-boxed; stored web pages, documentation and public repositories), for a peer-reviewed
 * article that prints the items, or the publishers' text:
 * - GAD-7: García-Campayo J. et al., "Cultural adaptation into Spanish of the generalized anxiety disorder-7 (GAD-7)
 *   scale as a screening tool", Health Qual Life Outcomes 2010;8:8, doi:10.1186/1477-7525-8-8 (open access) is
 *   stored (https://pmc.ncbi.nlm.nih.gov/articles/PMC2831043, http://www.hqlo.com/content/8/1/8, and copies of its
 *   PDF), but only its abstract and opening could be read there: not its items, stem or answer options. A page that
 *   prints seven items in a Spain wording ("¿Se ha sentido nervioso, ansioso o muy alterado?" …,
 *   https://escalasmedicas.es/escala/escala-de-gad/, read 2026-12-02) names no source and gives neither the stem nor
 *   the answer options; other pages and application code print US-style wordings ("Sentirse nervioso/a, ansioso/a o
 *   con los nervios de punta") with differing answer options ("Nunca" / "Ningún día" / "Para nada" for 0). Two
 *   repositories' seed data carry that Spain wording with the answers "Nunca", "Menos de la mitad de los días", "Más
 *   de la mitad de los días", "Casi todos los días" (one with a PDF's broken ligature, "difi cultad"), which may be the
 *   article's; but neither names its source, and the article's own table could not be read to compare. Pfizer's
 *   "Spanish for the USA" PDF (phqscreeners.com) was not found in any stored copy.
 * - WHO-5: no stored copy of the Psychiatric Research Unit's Spanish PDF (psykiatri-regionh.dk, who-5.org) was
 *   found, nor a validation article whose stored text reaches its items (Caycho-Rodríguez T. et al., Rev Cienc Salud
 *   2020;18(3), and Campo-Arias A. et al., Rev Salud Uninorte 2015;31(1), are stored but only their openings could be
 *   read). Application code in many repositories agrees on the items and the six answers ("Todo el tiempo" …
 *   "Nunca"), but it is not the source and cites none.
 * Fourth search, 2026-12-03 (time-boxed), for the publishers' PDFs themselves in public repositories: none found
 * that can be read. Pfizer's file is named "GAD7_Spanish for the USA.pdf" on phqscreeners.com (the site's selector,
 * as copied in fergusferrier/simple-questionnaires translations/pfizer-variants.json, commit 512e1657); exact-path
 * look-ups of it (repository root, docs/, public/, assets/, pdfs/, resources/, static/, sources/, references/) and
 * of WHO5_Spanish.pdf / WHO's 2024 "oms-(cinco)-indice-de-bienestar-(oms-5).pdf", and text searches for those names,
 * found no repository holding either. The one publisher PDF found, angel5002/MVP-Hackathon
 * docs/fuentes/GAD7_Spanish_for_Peru.pdf (commit 3f56387c), is the Peru version, not the USA one, and could not be
 * read (no text stored for it; no snapshot of that repository can be fetched). Two sources transcribe the WHO-5
 * Spanish items from WHO's PDF and name it (fergusferrier/simple-questionnaires _data/locales/es.json, commit
 * 512e1657; a Chilean site's content file citing the cdn.who.int PDF), but both correct its item-4 misprint
 * ("descandado") and shorten or rewrite its instructions, so neither gives the printed text word for word.
 * So neither is shipped: every item and answer would have to be read in the cited source itself.
 */
export const UNAVAILABLE_ES: readonly { questionnaireUrl: string; reason: string }[] = [
  { questionnaireUrl: 'https://als-wellness.example.org/fhir/Questionnaire/gad-7', reason: 'published Spanish wording not yet verified' },
  { questionnaireUrl: 'https://als-wellness.example.org/fhir/Questionnaire/who-5', reason: 'published Spanish wording not yet verified' },
];

export const SPANISH_TRANSLATIONS: readonly InstrumentTranslation[] = [PHQ9_ES];
