// The app's own words in Spanish (issue 15), keyed by the English text (see i18n.ts). Everything a patient or
// caregiver may read on their pages: the player (settings, who is answering, questions, checks, review, confirm,
// save status, crisis message, what went wrong), the after-submit and "cannot be answered" screens, "My
// questionnaires", a form the portal opened that cannot be, and the frame and patient banner around them.
// Not the forms' wording (that comes from each Questionnaire's translation extensions, with its published source)
// and not staff screens. test/player-words.spec.ts fails when a phrase passed to t() or translate() has no entry
// here, when an entry is no longer used, or when an entry's {placeholders} differ from its key's.
// Plain module, no imports: that test reads it outside the browser.

export const ES: Record<string, string> = {
  // The player: questions, navigation, review and confirm
  'Question {n} of {total}': 'Pregunta {n} de {total}',
  'An answer is needed.': 'Se necesita una respuesta.',
  'You may leave this one out.': 'Puede dejar esta sin responder.',
  Back: 'Atrás',
  Next: 'Siguiente',
  Start: 'Empezar',
  'Back to review': 'Volver a la revisión',
  'Review answers': 'Revisar respuestas',
  'Save and finish later': 'Guardar y terminar más tarde',
  'Check your answers': 'Revise sus respuestas',
  'Some answers need attention': 'Algunas respuestas necesitan atención',
  'Question {n}: {message}': 'Pregunta {n}: {message}',
  'Submit answers': 'Enviar respuestas',
  'Not answered': 'Sin responder',
  Change: 'Cambiar',
  'Change answer to question {n}': 'Cambiar la respuesta a la pregunta {n}',
  'Send your answers now?': '¿Enviar sus respuestas ahora?',
  'You answered {answered} of {total} questions. Once sent, your answers go to your care team and this form is complete.':
    'Respondió {answered} de {total} preguntas. Una vez enviadas, sus respuestas van a su equipo de atención y este formulario queda completo.',
  'No, check my answers again': 'No, revisar mis respuestas otra vez',
  'Yes, send my answers': 'Sí, enviar mis respuestas',
  'Sending…': 'Enviando…',
  'The answers could not be sent.': 'No se pudieron enviar las respuestas.',
  'Your answer': 'Su respuesta',
  Yes: 'Sí',
  No: 'No',

  // Save status
  'Saving…': 'Guardando…',
  'Answers saved at {time}.': 'Respuestas guardadas a las {time}.',
  'Not saved yet: {message} Your answers are still on this screen; the next step tries again.':
    'Aún sin guardar: {message} Sus respuestas siguen en esta pantalla; el siguiente paso lo intenta de nuevo.',
  'Not saved: {message}': 'No se guardó: {message}',
  'Not saved: {message} The answers saved before this one are kept.': 'No se guardó: {message} Las respuestas guardadas antes se conservan.',
  'The answers could not be saved. Please reload the page to go on.': 'No se pudieron guardar las respuestas. Por favor, vuelva a cargar la página para continuar.',

  // The draft saved on another screen meanwhile (player/SavedElsewhere.tsx)
  'These answers were changed on another screen': 'Estas respuestas se cambiaron en otra pantalla',
  'Keep my answers saves the answers given on this screen onto the latest saved ones. Or open the latest saved answers and go on from there.':
    'Conservar mis respuestas guarda las respuestas que dio en esta pantalla sobre las últimas guardadas. O abra las últimas respuestas guardadas y continúe desde ahí.',
  'Keep my answers': 'Conservar mis respuestas',
  'Open the latest saved answers': 'Abrir las últimas respuestas guardadas',
  'Open the latest saved answers and drop the answers given on this screen that were not saved?':
    '¿Abrir las últimas respuestas guardadas y descartar las respuestas que dio en esta pantalla y que no se guardaron?',
  'No, go back': 'No, volver',
  'Yes, drop my answers and open the latest': 'Sí, descartar mis respuestas y abrir las últimas',
  'The latest saved answers could not be opened.': 'No se pudieron abrir las últimas respuestas guardadas.',
  'These answers were already sent from another screen. Open the latest saved answers to see them.':
    'Estas respuestas ya se enviaron desde otra pantalla. Abra las últimas respuestas guardadas para verlas.',

  // A question's checks, as the person reads them (player/validate.ts)
  'An answer is needed to go on.': 'Se necesita una respuesta para continuar.',
  'Please enter a whole number, such as 4.': 'Por favor, escriba un número entero, por ejemplo 4.',
  'Please enter a number, such as 2.5.': 'Por favor, escriba un número, por ejemplo 2,5.',
  'Please enter a date, such as 2026-03-31.': 'Por favor, escriba una fecha, por ejemplo 2026-03-31.',
  'Please give another answer: this one does not fit the question.': 'Por favor, dé otra respuesta: esta no corresponde a la pregunta.',
  'Please enter {bound} or more.': 'Por favor, escriba {bound} o más.',
  'Please enter {bound} or less.': 'Por favor, escriba {bound} o menos.',
  'Please enter {bound} or later.': 'Por favor, escriba {bound} o una fecha posterior.',
  'Please enter {bound} or earlier.': 'Por favor, escriba {bound} o una fecha anterior.',
  'Please keep it to {max} characters.': 'Por favor, use como máximo {max} caracteres.',
  'Please choose one answer only.': 'Por favor, elija una sola respuesta.',
  'Please choose one of the answers shown.': 'Por favor, elija una de las respuestas que se muestran.',
  'Please check this answer.': 'Por favor, revise esta respuesta.',

  // Crisis information (the message itself is the clinic's own text, from the server, in Spanish when it has one)
  'If you need help now': 'Si necesita ayuda ahora',
  'Close this message': 'Cerrar este mensaje',

  // What went wrong, by what the server answered — its status and coded error, never its English text
  // (lib/patient-problems.ts, player/server-problems.ts)
  'The service is not answering. Check the connection and try again; nothing was lost.':
    'El servicio no responde. Revise la conexión e inténtelo de nuevo; no se perdió nada.',
  'Your session has ended. Please sign in again to go on.': 'Su sesión terminó. Por favor, vuelva a iniciar sesión para continuar.',
  'These answers were saved on another screen after this one opened them, so what was done here was not saved.':
    'Estas respuestas se guardaron en otra pantalla después de que esta las abriera, así que lo que se hizo aquí no se guardó.',
  'This questionnaire was closed, or answered on another screen, while it was open here.':
    'Este cuestionario se cerró, o se respondió en otra pantalla, mientras estaba abierto aquí.',
  'This page has been open too long to save from. Reload the page and try again.':
    'Esta página lleva demasiado tiempo abierta para guardar desde ella. Vuelva a cargar la página e inténtelo de nuevo.',
  'You cannot answer this questionnaire for this person. Please ask your care team.':
    'Usted no puede responder este cuestionario por esta persona. Por favor, consulte a su equipo de atención.',
  'This questionnaire could not be found. Please ask your care team.': 'No se encontró este cuestionario. Por favor, consulte a su equipo de atención.',
  // … for the list of one's forms (listProblem)
  'Your questionnaires cannot be shown to this sign-in. Please sign in again from your health record, or ask your care team.':
    'Sus cuestionarios no se pueden mostrar con este inicio de sesión. Por favor, vuelva a entrar desde su expediente médico o consulte a su equipo de atención.',
  'Your health record did not let this app open your record. Please open the app again from your health record, or ask your care team.':
    'Su historia clínica no permitió que esta aplicación abriera su expediente. Por favor, abra la aplicación de nuevo desde su historia clínica o consulte a su equipo de atención.',
  'Your record could not be found in your health record. Please open the app again from your health record, or ask your care team.':
    'No se encontró su expediente en su historia clínica. Por favor, abra la aplicación de nuevo desde su historia clínica o consulte a su equipo de atención.',
  'Your questionnaires could not be found. Please ask your care team.': 'No se encontraron sus cuestionarios. Por favor, consulte a su equipo de atención.',
  // … when the health record (the portal) opened the app on a form (launchProblem, pages/player/LaunchFormProblem.tsx)
  'The questionnaire your health record asked for could not be opened. Please try again in a moment.':
    'No se pudo abrir el cuestionario que pidió su expediente médico. Por favor, inténtelo de nuevo dentro de un momento.',
  'The questionnaire your health record asked for is not about you, so it was not opened.':
    'El cuestionario que pidió su expediente médico no es sobre usted, así que no se abrió.',
  'The questionnaire your health record asked for is already answered or no longer needed.':
    'El cuestionario que pidió su expediente médico ya está respondido o ya no hace falta.',
  'The questionnaire your health record asked for could not be found. Please ask your care team.':
    'No se encontró el cuestionario que pidió su expediente médico. Por favor, consulte a su equipo de atención.',
  'Your health record could not be reached just now. Please try again in a moment.':
    'No se pudo conectar con su expediente médico en este momento. Por favor, inténtelo de nuevo dentro de un momento.',
  'The questionnaire your health record asked for is not available in this program, so nothing was opened.':
    'El cuestionario que pidió su expediente médico no está disponible en este programa, así que no se abrió nada.',
  'Opening the questionnaire…': 'Abriendo el cuestionario…',
  'Go to my questionnaires': 'Ir a mis cuestionarios',
  'Too many tries in a short time. Please wait a minute and try again.': 'Demasiados intentos en poco tiempo. Por favor, espere un minuto e inténtelo de nuevo.',
  'The service could not do this just now. Please try again in a moment.': 'El servicio no pudo hacerlo en este momento. Por favor, inténtelo de nuevo dentro de un momento.',
  'Some answers could not be accepted. Please check them.': 'Algunas respuestas no se pudieron aceptar. Por favor, revíselas.',
  'Please try again in a moment.': 'Por favor, inténtelo de nuevo dentro de un momento.',

  // Who is answering (player/answer-mode.ts)
  'Who is answering the questions about {subject}?': '¿Quién responde las preguntas sobre {subject}?',
  'Please choose who is answering.': 'Por favor, elija quién responde.',
  yourself: 'usted',
  'the patient': 'el paciente',
  'the person': 'la persona',
  'The person themselves': 'La propia persona',
  'Answering on my own, with or without help using the device.': 'Respondo yo, con o sin ayuda para usar el dispositivo.',
  'A caregiver entering the person’s own answers': 'Un cuidador que marca las respuestas que da la propia persona',
  'The person gives each answer; a caregiver selects it.': 'La persona da cada respuesta; un cuidador la marca.',
  'A clinician reading the questions aloud': 'Un profesional clínico que lee las preguntas en voz alta',
  'The clinician reads, the person answers, the clinician enters it.': 'El profesional lee, la persona responde y el profesional marca la respuesta.',
  'Someone answering on the person’s behalf (proxy)': 'Otra persona que responde en su nombre (representante)',
  'The answers are the proxy’s own judgement about the person.': 'Las respuestas son la opinión del representante sobre la persona.',

  // Display and input settings (player/SettingsPanel.tsx)
  'Display and input settings': 'Ajustes de pantalla y de control',
  'Text size': 'Tamaño del texto',
  Normal: 'Normal',
  Large: 'Grande',
  Largest: 'Muy grande',
  Contrast: 'Contraste',
  Standard: 'Estándar',
  'High contrast': 'Alto contraste',
  'How to choose answers': 'Cómo elegir las respuestas',
  'Touch, mouse or keyboard': 'Pantalla táctil, mouse o teclado',
  'Switch scanning': 'Barrido con pulsador',
  'Dwell (eye gaze)': 'Fijar la mirada (control ocular)',
  'Scanning pace (time on each choice)': 'Velocidad del barrido (tiempo en cada opción)',
  'Switch key:': 'Tecla del pulsador:',
  'Space bar or Enter': 'Barra espaciadora o Intro',
  'Press the key to use now…': 'Pulse ahora la tecla que quiere usar…',
  'Use another key': 'Usar otra tecla',
  'Dwell time (how long to look at a choice)': 'Tiempo de fijación (cuánto mirar una opción)',

  // Language
  Language: 'Idioma',
  'This form is not yet available in {language}; it is shown in {original}.':
    'Este formulario aún no está disponible en {language}; se muestra en {original}.',

  // Around the player (pages/PlayerPage.tsx, pages/player/)
  'Loading the questionnaire…': 'Cargando el cuestionario…',
  Questionnaire: 'Cuestionario',
  'The questionnaire could not be opened': 'No se pudo abrir el cuestionario',
  'Thank you — the answers were sent': 'Gracias: las respuestas se enviaron',
  'The answers are saved': 'Las respuestas están guardadas',
  '{title} is complete.': 'Se completó {title}.',
  'You can come back and finish at any time; nothing was lost.': 'Puede volver y terminar cuando quiera; no se perdió nada.',
  Continue: 'Continuar',
  'This questionnaire is not open yet': 'Este cuestionario aún no está abierto',
  'This questionnaire cannot be answered now': 'Este cuestionario no se puede responder ahora',
  '{title} opens on {date}. Please come back then; there is nothing to do before that day.':
    '{title} se abre el {date}. Por favor, vuelva ese día; no hay nada que hacer antes.',
  '{title} is already complete. Thank you!': 'Ya se completó {title}. ¡Gracias!',
  '{title} is no longer needed.': 'Ya no hace falta responder {title}.',

  // My questionnaires (pages/MyForms.tsx)
  'My questionnaires': 'Mis cuestionarios',
  'That did not work': 'Algo no funcionó',
  'Loading your questionnaires…': 'Cargando sus cuestionarios…',
  'Hello {name}. Take your time: answers are saved after every question, and you can stop and come back whenever you like.':
    'Hola, {name}. Tómese su tiempo: las respuestas se guardan después de cada pregunta, y puede parar y volver cuando quiera.',
  'Open now': 'Abiertos ahora',
  'Nothing to answer right now. Thank you!': 'No hay nada que responder ahora. ¡Gracias!',
  'Start: {title}': 'Empezar: {title}',
  'Continue: {title}': 'Continuar: {title}',
  'About you': 'Sobre usted',
  'About {name}': 'Sobre {name}',
  Overdue: 'Atrasado',
  'it was due by {date}; you can still answer it': 'debía responderse antes del {date}; todavía puede responderlo',
  'until {date}': 'hasta el {date}',
  'Not open yet': 'Aún no abiertos',
  'These open later. They cannot be started before the day they open.':
    'Estos se abren más adelante. No se pueden empezar antes del día en que se abren.',
  'opens on {date}': 'se abre el {date}',
  Baseline: 'Inicio',
  Mid: 'Mitad del programa',
  Post: 'Final del programa',
  'Follow-up': 'Seguimiento',

  // The frame on a patient's or caregiver's pages (ui/Shell.tsx)
  'Skip to main content': 'Saltar al contenido principal',
  'ALS wellness program': 'Programa de bienestar para ELA',
  'Sign out': 'Cerrar sesión',
  // … its sign-out confirmation (ui/SignOut.tsx), and the page after it or without a sign-in (main.tsx)
  'Sign out now?': '¿Cerrar sesión ahora?',
  'Answers you have already saved are kept. You can sign in again and go on where you stopped.':
    'Las respuestas que ya guardó se conservan. Puede volver a iniciar sesión y seguir donde lo dejó.',
  Stay: 'Quedarme',
  'Yes, sign out': 'Sí, cerrar sesión',
  'You are signed out': 'Ha cerrado la sesión',
  'Please open the app from your EHR': 'Abra la aplicación desde su historia clínica electrónica',
  'To sign in again, open the app from your patient portal or your EHR (or through the clinic’s launcher).':
    'Para volver a iniciar sesión, abra la aplicación desde su portal del paciente o su historia clínica electrónica (o desde el acceso de la clínica).',
  patient: 'paciente',
  caregiver: 'cuidador(a)',
  // … around the player a clinician opens with the patient (the role of who signed in)
  clinician: 'profesional clínico',
  'care coordinator': 'coordinador(a) de atención',
  'quality team': 'equipo de calidad',
  administrator: 'administrador(a)',

  // The patient banner (ui/PatientBanner.tsx), above the player and a patient's own pages
  Patient: 'Paciente',
  'Name not recorded': 'Nombre no registrado',
  Born: 'Fecha de nacimiento',
  Sex: 'Sexo',
  MRN: 'N.º de expediente médico',
  'not recorded': 'no registrado',
  Female: 'Femenino',
  Male: 'Masculino',
  Other: 'Otro',
  Unknown: 'Desconocido',
};
