// React 19 recipe (README "React 19"): properties and events straight in JSX. React 19 sets a
// property when the element has it (`key in element`), which holds from the first render because
// abrir-chamado.js defines the element before the WebAssembly downloads.
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { services, tipos, tokenProvider, loadProfile, recordSuccess } from "./common.js";

function Chamado({ telefone }) {
  return (
    <abrir-chamado
      endpoint={location.origin}
      draft-key="react19"
      nome="Maria da Silva Souza"
      telefone={telefone}
      services={services()}
      tipos={tipos}
      tokenProvider={tokenProvider}
      onabrir-chamado:success={(e) => recordSuccess(e.detail)}
    />
  );
}

function App() {
  const [tab, setTab] = useState("chamado");
  const [telefone, setTelefone] = useState("");
  const [inputs, setInputs] = useState(0);
  useEffect(() => {
    loadProfile().then((p) => setTelefone(p.telefone));
  }, []);
  // The parent re-renders on every keystroke in the widget (input events are composed).
  useEffect(() => {
    const on = () => setInputs((n) => n + 1);
    document.addEventListener("input", on);
    return () => document.removeEventListener("input", on);
  }, []);
  return (
    <>
      <nav>
        <button onClick={() => setTab("chamado")}>Chamado</button>
        <button onClick={() => setTab("faturas")}>Faturas</button>
      </nav>
      <output data-testid="renders">{inputs}</output>
      {tab === "chamado" ? <Chamado telefone={telefone} /> : <p>Suas faturas</p>}
    </>
  );
}

createRoot(document.getElementById("app")).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
