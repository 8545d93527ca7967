/**
 * Dichiarazione di accessibilità, on the AgID model (Linee guida sull’accessibilità degli
 * strumenti informatici, Legge 4/2004). The ente running the service compiles the official one
 * on AgID's platform (form.agid.gov.it) and links it here; this page gives its content, with the
 * state from the project's own checks (axe-core on every page of the end-to-end tests).
 */
export function Accessibility({ signedIn }: { signedIn: boolean }) {
  return (
    <article className="pis-accessibility" style={{ maxWidth: '48rem' }}>
      <h1 className="h3">Dichiarazione di accessibilità</h1>
      <p>
        L’ente che gestisce il servizio di Pronto Intervento Sociale (PIS) si impegna a rendere la propria applicazione accessibile, conformemente alla Legge 9
        gennaio 2004, n. 4 e al Decreto legislativo 10 agosto 2018, n. 106, che ha recepito la Direttiva (UE) 2016/2102.
      </p>
      <p>La presente dichiarazione di accessibilità si applica alla console operativa PIS (applicazione web per operatori, coordinatori e assistenti sociali).</p>

      <h2 className="h5 mt-4">Stato di conformità</h2>
      <p>
        La console operativa PIS è <strong>parzialmente conforme</strong> ai requisiti previsti dall’allegato A alla norma UNI CEI EN 301549, in applicazione
        delle Linee guida sull’accessibilità degli strumenti informatici.
      </p>

      <h2 className="h5 mt-4">Contenuti non accessibili</h2>
      <ul>
        <li>Le pagine principali sono verificate automaticamente (axe-core, criteri WCAG 2.1 livello AA) a ogni rilascio; la verifica manuale con tecnologie assistive non è ancora completa.</li>
        <li>I moduli delle attività sono generati dal protocollo: etichette e messaggi di errore sono in italiano e collegati ai campi, ma alcuni moduli complessi possono risultare lunghi da percorrere da tastiera.</li>
        <li>L’interfaccia di Temporal (strumento tecnico per amministratori) non fa parte della console e non è coperta da questa dichiarazione.</li>
      </ul>

      <h2 className="h5 mt-4">Redazione della dichiarazione di accessibilità</h2>
      <p>
        La dichiarazione è stata redatta sulla base di un’autovalutazione effettuata dal fornitore con verifiche automatiche e manuali. L’ente la riesamina almeno
        una volta l’anno e la pubblica sulla piattaforma di AgID.
      </p>

      <h2 className="h5 mt-4">Modalità di invio delle segnalazioni</h2>
      <p>
        Chi incontra difficoltà nell’uso della console può segnalarlo al responsabile dell’accessibilità dell’ente, ai recapiti indicati nella dichiarazione
        pubblicata su AgID; l’ente risponde entro 30 giorni.
      </p>

      <h2 className="h5 mt-4">Procedura di attuazione</h2>
      <p>
        In caso di risposta insoddisfacente o di mancata risposta, è possibile inviare una segnalazione al Difensore civico per il digitale presso AgID, tramite
        il modulo disponibile sul sito di AgID (form.agid.gov.it).
      </p>

      {!signedIn && (
        <p className="mt-4">
          <a href="#/">Torna all’accesso</a>
        </p>
      )}
    </article>
  );
}
