// The token goes in as a property, never as an attribute.
document.getElementById("w").token = "demo-token";
